// The Multiple APIC Description Table, signature "APIC" (ACPI 6.5, 5.2.12):
// the interrupt controllers. After the header come the local APIC address
// (32 bits), flags (bit 0: the PC's dual 8259 PICs are present) and a list of
// variable-length entries, each starting with a type byte and a length byte.
//
// The parser trusts nothing: an entry that claims fewer than 2 bytes would
// loop forever and one that runs past the table would read garbage, so both
// end the walk with a problem noted; an entry too short for its type is
// skipped; a longer one (a later ACPI revision may extend it) is read for the
// fields it has and skipped by its length; unknown types are counted and
// skipped.
using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace Shared.Acpi;

public enum MadtEntryType : byte
{
    ProcessorLocalApic = 0,
    IoApic = 1,
    InterruptSourceOverride = 2,
    NmiSource = 3,
    LocalApicNmi = 4,
    LocalApicAddressOverride = 5,
    ProcessorLocalX2Apic = 9,
    LocalX2ApicNmi = 0x0A,
}

public sealed class Madt
{
    private const int LocalApicAddressOffset = 36;
    private const int FlagsOffset = 40;
    private const int EntriesOffset = 44;
    private const uint PcAtCompatible = 1;

    public ulong LocalApicAddress { get; private set; }

    /// <summary>The 32-bit address in the table's fixed part, before any type 5 override.</summary>
    public uint LocalApicAddress32 { get; private set; }

    /// <summary>PCAT_COMPAT: the system also has dual 8259 PICs, which must be masked before using the APICs.</summary>
    public bool HasLegacyPics { get; private set; }

    public List<ProcessorApic> Processors { get; } = new();

    public List<IoApicInfo> IoApics { get; } = new();

    public List<InterruptSourceOverride> Overrides { get; } = new();

    public List<NmiSource> NmiSources { get; } = new();

    public List<LocalApicNmi> LocalApicNmis { get; } = new();

    /// <summary>Entries of types this parser does not know (skipped by their length).</summary>
    public int UnknownEntries { get; private set; }

    /// <summary>What was wrong with the table's structure; empty for a well-formed table.</summary>
    public List<string> Problems { get; } = new();

    public int EnabledProcessorCount
    {
        get
        {
            int count = 0;
            foreach (ProcessorApic processor in Processors)
            {
                if (processor.Enabled)
                    count++;
            }

            return count;
        }
    }

    /// <summary>Parses a whole MADT (header included, checksum already checked); null when it has no room for its fixed part.</summary>
    public static Madt Parse(ReadOnlySpan<byte> table)
    {
        if (table.Length < EntriesOffset)
            return null;

        var madt = new Madt();
        madt.LocalApicAddress32 = BinaryPrimitives.ReadUInt32LittleEndian(table.Slice(LocalApicAddressOffset));
        madt.LocalApicAddress = madt.LocalApicAddress32;
        madt.HasLegacyPics = (BinaryPrimitives.ReadUInt32LittleEndian(table.Slice(FlagsOffset)) & PcAtCompatible) != 0;

        int offset = EntriesOffset;
        while (offset < table.Length)
        {
            int remaining = table.Length - offset;
            if (remaining < 2)
            {
                madt.Problems.Add("1 stray byte at the end of the entry list (offset " + offset.ToString() + ")");
                break;
            }

            byte type = table[offset];
            byte length = table[offset + 1];
            if (length < 2)
            {
                madt.Problems.Add("entry of type " + type.ToString() + " at offset " + offset.ToString() + " has length " + length.ToString() + "; the rest of the table is ignored");
                break;
            }

            if (length > remaining)
            {
                madt.Problems.Add("entry of type " + type.ToString() + " at offset " + offset.ToString() + " claims " + length.ToString() + " bytes but only " + remaining.ToString() + " remain; the rest of the table is ignored");
                break;
            }

            madt.AddEntry((MadtEntryType)type, table.Slice(offset, length), offset);
            offset += length;
        }

        return madt;
    }

    private void AddEntry(MadtEntryType type, ReadOnlySpan<byte> entry, int offset)
    {
        int required = RequiredLength(type);
        if (required == 0)
        {
            UnknownEntries++;
            return;
        }

        if (entry.Length < required)
        {
            Problems.Add("entry of type " + ((byte)type).ToString() + " at offset " + offset.ToString() + " is " + entry.Length.ToString() + " bytes, needs " + required.ToString() + "; skipped");
            return;
        }

        switch (type)
        {
            case MadtEntryType.ProcessorLocalApic:
                uint flags = U32(entry, 4);
                Processors.Add(new ProcessorApic(entry[2], entry[3], (flags & 1) != 0, (flags & 2) != 0, isX2Apic: false));
                break;
            case MadtEntryType.IoApic:
                IoApics.Add(new IoApicInfo(entry[2], U32(entry, 4), U32(entry, 8)));
                break;
            case MadtEntryType.InterruptSourceOverride:
                Overrides.Add(new InterruptSourceOverride(entry[2], entry[3], U32(entry, 4), InterruptFlags.FromMpsInti(U16(entry, 8))));
                break;
            case MadtEntryType.NmiSource:
                NmiSources.Add(new NmiSource(U32(entry, 4), InterruptFlags.FromMpsInti(U16(entry, 2))));
                break;
            case MadtEntryType.LocalApicNmi:
                uint uid = entry[2] == 0xFF ? LocalApicNmi.AllProcessors : entry[2];
                LocalApicNmis.Add(new LocalApicNmi(uid, entry[5], InterruptFlags.FromMpsInti(U16(entry, 3))));
                break;
            case MadtEntryType.LocalApicAddressOverride:
                LocalApicAddress = BinaryPrimitives.ReadUInt64LittleEndian(entry.Slice(4));
                break;
            case MadtEntryType.ProcessorLocalX2Apic:
                uint x2Flags = U32(entry, 8);
                Processors.Add(new ProcessorApic(U32(entry, 12), U32(entry, 4), (x2Flags & 1) != 0, (x2Flags & 2) != 0, isX2Apic: true));
                break;
            case MadtEntryType.LocalX2ApicNmi:
                LocalApicNmis.Add(new LocalApicNmi(U32(entry, 4), entry[8], InterruptFlags.FromMpsInti(U16(entry, 2))));
                break;
        }
    }

    /// <summary>Bytes an entry of a known type needs; 0 for unknown types.</summary>
    private static int RequiredLength(MadtEntryType type) => type switch
    {
        MadtEntryType.ProcessorLocalApic => 8,
        MadtEntryType.IoApic => 12,
        MadtEntryType.InterruptSourceOverride => 10,
        MadtEntryType.NmiSource => 8,
        MadtEntryType.LocalApicNmi => 6,
        MadtEntryType.LocalApicAddressOverride => 12,
        MadtEntryType.ProcessorLocalX2Apic => 16,
        MadtEntryType.LocalX2ApicNmi => 12,
        _ => 0,
    };

    private static ushort U16(ReadOnlySpan<byte> bytes, int offset) => BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(offset));

    private static uint U32(ReadOnlySpan<byte> bytes, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(offset));
}
