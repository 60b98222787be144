// Finds and validates the ACPI tables, starting from the RSDP the firmware
// gave the loader: RSDP -> XSDT (or the RSDT when there is no valid XSDT) ->
// every table it lists, plus the DSDT and FACS the FADT points to. Every
// checksum is checked; the MADT and FADT are parsed.
//
// Nothing here can stop the boot: a missing or broken structure becomes a
// warning (Warnings) and the documented defaults (InterruptTopology.Defaults;
// no FADT means no PM timer and no reset register). Tables with a bad
// checksum are listed but never parsed.
using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace Shared.Acpi;

public enum AcpiRootKind
{
    None,
    Xsdt,
    Rsdt,
}

public sealed class AcpiTables
{
    /// <summary>Larger length fields are taken as corruption (real DSDTs stay well under a megabyte).</summary>
    public const uint MaxTableLength = 16u << 20;

    private AcpiTables(ulong rsdpAddress) => RsdpAddress = rsdpAddress;

    public ulong RsdpAddress { get; }

    /// <summary>The parsed RSDP; meaningful when HasRsdp.</summary>
    public Rsdp Rsdp { get; private set; }

    public bool HasRsdp { get; private set; }

    public AcpiRootKind RootKind { get; private set; }

    public ulong RootAddress { get; private set; }

    public List<AcpiTableInfo> Tables { get; } = new();

    /// <summary>The parsed MADT, or null when there is no valid one.</summary>
    public Madt Madt { get; private set; }

    /// <summary>The parsed FADT, or null when there is no valid one.</summary>
    public Fadt Fadt { get; private set; }

    /// <summary>From the MADT, or the defaults when it is missing or broken.</summary>
    public InterruptTopology Interrupts { get; private set; }

    public List<string> Warnings { get; } = new();

    public static AcpiTables Discover(IAcpiMemory memory, ulong rsdpAddress)
    {
        var tables = new AcpiTables(rsdpAddress);
        if (tables.LoadRsdp(memory) && tables.LoadRoot(memory))
        {
            tables.LoadMadt(memory);
            tables.LoadFadt(memory);
        }

        if (tables.Madt is null)
            tables.Warn("no valid MADT: using the PC defaults (local APIC at 0xFEE00000, one I/O APIC at 0xFEC00000 with GSI base 0, IRQ0 -> GSI 2)");
        if (tables.Fadt is null)
            tables.Warn("no valid FADT: no PM timer (clock calibration uses the PIT) and no reset register");
        tables.Interrupts = tables.Madt is null ? InterruptTopology.Defaults() : InterruptTopology.FromMadt(tables.Madt);
        return tables;
    }

    /// <summary>The first listed table with this signature (valid or not).</summary>
    public bool TryFind(TableSignature signature, out AcpiTableInfo table)
    {
        foreach (AcpiTableInfo candidate in Tables)
        {
            if (candidate.Signature == signature)
            {
                table = candidate;
                return true;
            }
        }

        table = default;
        return false;
    }

    /// <summary>Reads a whole table (header included) from memory; null when it cannot be read.</summary>
    public static byte[] ReadTable(IAcpiMemory memory, AcpiTableInfo table)
    {
        var bytes = new byte[table.Length];
        return memory.TryRead(table.Address, bytes) ? bytes : null;
    }

    private bool LoadRsdp(IAcpiMemory memory)
    {
        if (RsdpAddress == 0)
        {
            Warn("the firmware reported no RSDP: the machine has no ACPI tables");
            return false;
        }

        Span<byte> bytes = stackalloc byte[Rsdp.Version2Size];
        if (!memory.TryRead(RsdpAddress, bytes))
        {
            bytes = bytes.Slice(0, Rsdp.Version1Size);
            if (!memory.TryRead(RsdpAddress, bytes))
            {
                Warn("the RSDP at 0x" + RsdpAddress.ToString("X") + " is outside readable memory");
                return false;
            }
        }

        // A revision 2+ RSDP's extended checksum covers its Length field's bytes, which may exceed 36.
        int required = global::Shared.Boot.Rsdp.RequiredLength(bytes);
        if (required > bytes.Length)
        {
            byte[] longer = new byte[required];
            if (memory.TryRead(RsdpAddress, longer))
                bytes = longer;
        }

        RsdpStatus status = Rsdp.Parse(bytes, out Rsdp rsdp);
        switch (status)
        {
            case RsdpStatus.BadSignature:
                Warn("no RSDP signature ('RSD PTR ') at 0x" + RsdpAddress.ToString("X"));
                return false;
            case RsdpStatus.BadChecksum:
                Warn("the RSDP at 0x" + RsdpAddress.ToString("X") + " has a bad checksum");
                return false;
            case RsdpStatus.BadExtendedChecksum:
                Warn("the RSDP's extended checksum is bad: ignoring the XSDT, using the RSDT");
                break;
        }

        Rsdp = rsdp;
        HasRsdp = true;
        return true;
    }

    private bool LoadRoot(IAcpiMemory memory)
    {
        if (Rsdp.XsdtAddress != 0)
        {
            if (TryLoadRoot(memory, Rsdp.XsdtAddress, TableSignature.Xsdt, 8))
                return true;
            Warn("falling back to the RSDT");
        }

        if (Rsdp.RsdtAddress != 0 && TryLoadRoot(memory, Rsdp.RsdtAddress, TableSignature.Rsdt, 4))
            return true;
        Warn("no usable root table (XSDT or RSDT)");
        return false;
    }

    private bool TryLoadRoot(IAcpiMemory memory, ulong address, TableSignature expected, int pointerSize)
    {
        if (!TryInspect(memory, address, out AcpiTableInfo root, out string problem))
        {
            Warn(expected.ToString() + " at 0x" + address.ToString("X") + ": " + problem);
            return false;
        }

        if (root.Signature != expected)
        {
            Warn("expected the " + expected.ToString() + " at 0x" + address.ToString("X") + ", found signature '" + root.Signature.ToString() + "'");
            return false;
        }

        if (!root.ChecksumValid)
        {
            Warn(expected.ToString() + " at 0x" + address.ToString("X") + " has a bad checksum");
            return false;
        }

        byte[] bytes = ReadTable(memory, root);
        int count = (bytes.Length - SdtHeader.Size) / pointerSize;
        if ((bytes.Length - SdtHeader.Size) % pointerSize != 0)
            Warn(expected.ToString() + " length " + bytes.Length.ToString() + " is not a whole number of entries; the partial entry is ignored");

        RootKind = pointerSize == 8 ? AcpiRootKind.Xsdt : AcpiRootKind.Rsdt;
        RootAddress = address;
        Tables.Add(root);
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> pointer = bytes.AsSpan(SdtHeader.Size + (i * pointerSize), pointerSize);
            ulong tableAddress = pointerSize == 8 ? BinaryPrimitives.ReadUInt64LittleEndian(pointer) : BinaryPrimitives.ReadUInt32LittleEndian(pointer);
            AddTable(memory, tableAddress, "entry " + i.ToString() + " of the " + expected.ToString());
        }

        return true;
    }

    private void AddTable(IAcpiMemory memory, ulong address, string source)
    {
        if (address == 0)
        {
            Warn(source + " is a null pointer; skipped");
            return;
        }

        if (!TryInspect(memory, address, out AcpiTableInfo table, out string problem))
        {
            Warn(source + " (0x" + address.ToString("X") + "): " + problem + "; skipped");
            return;
        }

        if (!table.ChecksumValid)
            Warn(table.Signature.ToString() + " at 0x" + address.ToString("X") + " has a bad checksum; it is not used");
        Tables.Add(table);
    }

    private void LoadMadt(IAcpiMemory memory)
    {
        if (!TryFindValid(TableSignature.Madt, out AcpiTableInfo info))
            return;
        byte[] bytes = ReadTable(memory, info);
        Madt madt = Madt.Parse(bytes);
        if (madt is null)
        {
            Warn("MADT is " + info.Length.ToString() + " bytes, too short for its fixed fields");
            return;
        }

        foreach (string problem in madt.Problems)
            Warn("MADT: " + problem);
        if (madt.UnknownEntries > 0)
            Warn("MADT: skipped " + madt.UnknownEntries.ToString() + " entries of unknown type");
        Madt = madt;
    }

    private void LoadFadt(IAcpiMemory memory)
    {
        if (!TryFindValid(TableSignature.Fadt, out AcpiTableInfo info))
            return;
        Fadt fadt = Fadt.Parse(ReadTable(memory, info), out string problem);
        if (fadt is null)
        {
            Warn(problem);
            return;
        }

        Fadt = fadt;
        if (fadt.DsdtAddress != 0)
            AddTable(memory, fadt.DsdtAddress, "the FADT's DSDT pointer");
        if (fadt.FacsAddress != 0)
            AddFacs(memory, fadt.FacsAddress);
    }

    // The FACS has a signature and length but no checksum (ACPI 6.5, 5.2.10).
    private void AddFacs(IAcpiMemory memory, ulong address)
    {
        Span<byte> header = stackalloc byte[8];
        if (!memory.TryRead(address, header) || TableSignature.FromBytes(header) != TableSignature.Facs)
        {
            Warn("the FADT's FACS pointer (0x" + address.ToString("X") + ") does not point at a FACS; skipped");
            return;
        }

        Tables.Add(new AcpiTableInfo
        {
            Signature = TableSignature.Facs,
            Address = address,
            Length = BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(4)),
            OemId = "",
            OemTableId = "",
            ChecksumValid = true,
        });
    }

    private bool TryFindValid(TableSignature signature, out AcpiTableInfo table)
    {
        foreach (AcpiTableInfo candidate in Tables)
        {
            if (candidate.Signature == signature && candidate.ChecksumValid)
            {
                table = candidate;
                return true;
            }
        }

        table = default;
        return false;
    }

    /// <summary>Reads a table's header and checks its length and checksum; false (with why) when the header is unusable.</summary>
    private static bool TryInspect(IAcpiMemory memory, ulong address, out AcpiTableInfo table, out string problem)
    {
        table = default;
        Span<byte> headerBytes = stackalloc byte[SdtHeader.Size];
        if (!memory.TryRead(address, headerBytes) || !SdtHeader.TryParse(headerBytes, out SdtHeader header))
        {
            problem = "the header is outside readable memory";
            return false;
        }

        if (header.Length < SdtHeader.Size || header.Length > MaxTableLength)
        {
            problem = "'" + header.Signature.ToString() + "' has an implausible length of " + header.Length.ToString() + " bytes";
            return false;
        }

        if (!TryChecksum(memory, address, header.Length, out byte sum))
        {
            problem = "'" + header.Signature.ToString() + "' (" + header.Length.ToString() + " bytes) runs past readable memory";
            return false;
        }

        problem = null;
        table = new AcpiTableInfo
        {
            Signature = header.Signature,
            Address = address,
            Length = header.Length,
            Revision = header.Revision,
            OemId = header.OemId,
            OemTableId = header.OemTableId,
            ChecksumValid = sum == 0,
        };
        return true;
    }

    // Sums the table in chunks, so checking a large DSDT needs no heap memory.
    private static bool TryChecksum(IAcpiMemory memory, ulong address, uint length, out byte sum)
    {
        Span<byte> chunk = stackalloc byte[256];
        sum = 0;
        for (uint offset = 0; offset < length; offset += (uint)chunk.Length)
        {
            Span<byte> part = chunk.Slice(0, (int)Math.Min((uint)chunk.Length, length - offset));
            if (!memory.TryRead(address + offset, part))
                return false;
            sum += AcpiChecksum.Sum(part);
        }

        return true;
    }

    private void Warn(string message) => Warnings.Add(message);
}
