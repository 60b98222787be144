// Reads the kernel's embedded symbol table: which function contains an
// address. The build writes it (tools/AsmGen/Symbols) from lld-link's map of
// the linked kernel and links it as the image's last section; fault reports
// use it to print "RIP 0x... in Kernel.Diagnostics.Faults.ReadUnmapped+0x1c".
//
// Layout (little-endian):
//   +0   u32 magic "KSYM"       +4  u32 version
//   +8   u64 image base (the link address the RVAs are relative to)
//   +16  u32 entry count        +20 u32 offset of the name bytes from the table start
//   +24  u32 size of the name bytes                +28 u32 reserved (0)
//   +32  entries, sorted by RVA, not overlapping: u32 rva, u32 size, u32 name offset, u32 name length
//   then the names: ASCII, not terminated
using System;
using System.Buffers.Binary;

namespace Shared.Diagnostics;

/// <summary>A function found by address: where it starts, how long it is, where its name is.</summary>
public readonly struct SymbolMatch
{
    public SymbolMatch(ulong start, uint size, int nameOffset, int nameLength)
    {
        Start = start;
        Size = size;
        NameOffset = nameOffset;
        NameLength = nameLength;
    }

    /// <summary>The function's first byte (virtual address).</summary>
    public ulong Start { get; }

    public uint Size { get; }

    public int NameOffset { get; }

    public int NameLength { get; }
}

public readonly ref struct SymbolTable
{
    public const uint Magic = 0x4D59534B; // "KSYM"
    public const uint CurrentVersion = 1;
    public const int HeaderSize = 32;
    public const int EntrySize = 16;

    private readonly ReadOnlySpan<byte> _data;

    private SymbolTable(ReadOnlySpan<byte> data, ulong imageBase, int count)
    {
        _data = data;
        ImageBase = imageBase;
        Count = count;
    }

    public ulong ImageBase { get; }

    public int Count { get; }

    /// <summary>Total bytes the table at <paramref name="header"/> occupies, or 0 if the header is not a symbol table's.</summary>
    public static ulong SizeFromHeader(ReadOnlySpan<byte> header)
    {
        if (header.Length < HeaderSize || BinaryPrimitives.ReadUInt32LittleEndian(header) != Magic)
            return 0;
        return (ulong)BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(20)) + BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(24));
    }

    /// <summary>
    /// Checks the header and bounds, and with <paramref name="checkEntries"/> every entry (order, sizes, names), so
    /// lookups cannot read outside the table. Skip the entry check only for a table already checked that cannot
    /// have changed since (the kernel's is in a read-only page).
    /// </summary>
    public static bool TryOpen(ReadOnlySpan<byte> data, out SymbolTable table, bool checkEntries = true)
    {
        table = default;
        if (data.Length < HeaderSize
            || BinaryPrimitives.ReadUInt32LittleEndian(data) != Magic
            || BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(4)) != CurrentVersion)
            return false;

        ulong imageBase = BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(8));
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(16));
        uint namesOffset = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(20));
        uint namesSize = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(24));
        if ((ulong)HeaderSize + ((ulong)count * EntrySize) > namesOffset || (ulong)namesOffset + namesSize > (ulong)data.Length)
            return false;

        ulong previousEnd = 0;
        for (int i = 0; checkEntries && i < (int)count; i++)
        {
            ReadOnlySpan<byte> entry = data.Slice(HeaderSize + (i * EntrySize), EntrySize);
            uint rva = BinaryPrimitives.ReadUInt32LittleEndian(entry);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(entry.Slice(4));
            uint nameOffset = BinaryPrimitives.ReadUInt32LittleEndian(entry.Slice(8));
            uint nameLength = BinaryPrimitives.ReadUInt32LittleEndian(entry.Slice(12));
            if (size == 0 || rva < previousEnd || (ulong)nameOffset + nameLength > namesSize)
                return false;
            previousEnd = (ulong)rva + size;
        }

        table = new SymbolTable(data, imageBase, (int)count);
        return true;
    }

    /// <summary>The function whose [start, start + size) contains <paramref name="address"/>.</summary>
    public bool TryFind(ulong address, out SymbolMatch match)
    {
        match = default;
        if (address < ImageBase || address - ImageBase > uint.MaxValue)
            return false;

        uint rva = (uint)(address - ImageBase);
        int low = 0;
        int high = Count - 1;
        int found = -1;
        while (low <= high)
        {
            int middle = low + ((high - low) / 2);
            if (EntryRva(middle) <= rva)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        if (found < 0)
            return false;

        match = Entry(found);
        return address - match.Start < match.Size;
    }

    public SymbolMatch Entry(int index)
    {
        ReadOnlySpan<byte> entry = _data.Slice(HeaderSize + (index * EntrySize), EntrySize);
        return new SymbolMatch(
            ImageBase + BinaryPrimitives.ReadUInt32LittleEndian(entry),
            BinaryPrimitives.ReadUInt32LittleEndian(entry.Slice(4)),
            (int)BinaryPrimitives.ReadUInt32LittleEndian(entry.Slice(8)),
            (int)BinaryPrimitives.ReadUInt32LittleEndian(entry.Slice(12)));
    }

    /// <summary>The ASCII bytes of a matched function's name.</summary>
    public ReadOnlySpan<byte> NameOf(SymbolMatch match)
    {
        int namesOffset = (int)BinaryPrimitives.ReadUInt32LittleEndian(_data.Slice(20));
        return _data.Slice(namesOffset + match.NameOffset, match.NameLength);
    }

    private uint EntryRva(int index) => BinaryPrimitives.ReadUInt32LittleEndian(_data.Slice(HeaderSize + (index * EntrySize)));
}
