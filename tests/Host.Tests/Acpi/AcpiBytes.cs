// Helpers that make and edit ACPI structures for the parser tests: a table
// from a body, checksum repair after an edit, MADT entries, and the captured
// machines' tables.
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Shared.Acpi;

namespace Host.Tests.Acpi;

internal static class AcpiBytes
{
    public static CapturedAcpiMemory Captured(string machine, [CallerFilePath] string thisFile = "")
        => CapturedAcpiMemory.Load(Path.Combine(Path.GetDirectoryName(thisFile)!, "Tables", machine));

    /// <summary>A table: 36-byte header (signature, length, revision, checksum, OEM ids) + body, checksum valid.</summary>
    public static byte[] Table(string signature, byte revision, ReadOnlySpan<byte> body)
    {
        var table = new byte[SdtHeader.Size + body.Length];
        for (int i = 0; i < 4; i++)
            table[i] = (byte)signature[i];
        BinaryPrimitives.WriteUInt32LittleEndian(table.AsSpan(4), (uint)table.Length);
        table[8] = revision;
        "TESTOE"u8.CopyTo(table.AsSpan(10));
        "TESTTABL"u8.CopyTo(table.AsSpan(16));
        body.CopyTo(table.AsSpan(SdtHeader.Size));
        return FixChecksum(table);
    }

    /// <summary>Sets byte 9 so the whole table sums to zero again.</summary>
    public static byte[] FixChecksum(byte[] table, int checksumOffset = 9, int length = -1)
    {
        table[checksumOffset] = 0;
        table[checksumOffset] = (byte)(0x100 - AcpiChecksum.Sum(table.AsSpan(0, length < 0 ? table.Length : length)));
        return table;
    }

    /// <summary>An RSDP (revision 0: 20 bytes; 2: 36 bytes) with both checksums valid.</summary>
    public static byte[] RsdpBytes(byte revision, uint rsdt, ulong xsdt)
    {
        var rsdp = new byte[revision >= 2 ? Shared.Acpi.Rsdp.Version2Size : Shared.Acpi.Rsdp.Version1Size];
        "RSD PTR "u8.CopyTo(rsdp);
        "TESTOE"u8.CopyTo(rsdp.AsSpan(9));
        rsdp[15] = revision;
        BinaryPrimitives.WriteUInt32LittleEndian(rsdp.AsSpan(16), rsdt);
        if (revision >= 2)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(rsdp.AsSpan(20), (uint)rsdp.Length);
            BinaryPrimitives.WriteUInt64LittleEndian(rsdp.AsSpan(24), xsdt);
        }

        FixChecksum(rsdp, 8, Shared.Acpi.Rsdp.Version1Size);
        if (revision >= 2)
            FixChecksum(rsdp, 32);
        return rsdp;
    }

    /// <summary>An MADT body: local APIC address, flags, then the given entries as they are.</summary>
    public static byte[] MadtBytes(uint localApic, uint flags, params byte[][] entries)
    {
        var body = new List<byte>();
        body.AddRange(BitConverter.GetBytes(localApic));
        body.AddRange(BitConverter.GetBytes(flags));
        foreach (byte[] entry in entries)
            body.AddRange(entry);
        return Table("APIC", 4, body.ToArray());
    }

    public static byte[] ProcessorEntry(byte uid, byte apicId, uint flags) => Entry(0, new[] { uid, apicId }, BitConverter.GetBytes(flags));

    public static byte[] IoApicEntry(byte id, uint address, uint gsiBase) => Entry(1, new byte[] { id, 0 }, BitConverter.GetBytes(address), BitConverter.GetBytes(gsiBase));

    public static byte[] OverrideEntry(byte source, uint gsi, ushort flags) => Entry(2, new byte[] { 0, source }, BitConverter.GetBytes(gsi), BitConverter.GetBytes(flags));

    public static byte[] LocalApicNmiEntry(byte uid, ushort flags, byte lint) => Entry(4, new[] { uid }, BitConverter.GetBytes(flags), new[] { lint });

    public static byte[] AddressOverrideEntry(ulong address) => Entry(5, new byte[2], BitConverter.GetBytes(address));

    /// <summary>An entry: type, length (computed), then the parts.</summary>
    public static byte[] Entry(byte type, params byte[][] parts)
    {
        var entry = new List<byte> { type, 0 };
        foreach (byte[] part in parts)
            entry.AddRange(part);
        entry[1] = (byte)entry.Count;
        return entry.ToArray();
    }

    /// <summary>The body of a table (after the 36-byte header).</summary>
    public static byte[] Body(byte[] table) => table.AsSpan(SdtHeader.Size).ToArray();
}
