// A minimal writer for x86-64 COFF object files (the format lld-link takes):
// sections with raw data, relocations, a symbol table and its string table.
// Only what this project emits is supported: .text/.data/.rdata/.bss
// sections, external (global) symbols, REL32 and ADDR64 relocations.
using System.Buffers.Binary;
using System.Text;

namespace AsmGen;

public enum CoffRelocationType : ushort
{
    Addr64 = 0x0001,
    Addr32NB = 0x0003,
    Rel32 = 0x0004,
}

public sealed record CoffRelocation(uint Offset, string Symbol, CoffRelocationType Type);

public sealed record CoffSymbol(string Name, uint Value, bool IsFunction);

public sealed class CoffSection
{
    public CoffSection(string name, uint characteristics)
    {
        if (Encoding.ASCII.GetByteCount(name) > 8)
            throw new ArgumentException($"section name '{name}' is longer than 8 bytes", nameof(name));
        Name = name;
        Characteristics = characteristics;
    }

    public string Name { get; }
    public uint Characteristics { get; private set; }
    public List<byte> Data { get; } = new();
    public List<CoffRelocation> Relocations { get; } = new();
    public List<CoffSymbol> Symbols { get; } = new();

    /// <summary>Size of an uninitialized (.bss) section, which has no raw data in the file.</summary>
    public uint UninitializedSize { get; set; }

    public bool IsUninitialized => (Characteristics & CoffWriter.ContainsUninitializedData) != 0;

    public uint Size => IsUninitialized ? UninitializedSize : (uint)Data.Count;

    /// <summary>Makes the linker place the section at a multiple of <paramref name="alignment"/> (a power of two, at most 8192).</summary>
    public void RequireAlignment(uint alignment)
    {
        uint encoded = (uint)System.Numerics.BitOperations.Log2(alignment) + 1; // IMAGE_SCN_ALIGN_xBYTES: 2^(n-1) in bits 20..23
        uint current = (Characteristics >> 20) & 0xF;
        if (encoded > current)
            Characteristics = (Characteristics & ~CoffWriter.AlignMask) | (encoded << 20);
    }

    public void Align(int alignment, byte fill)
    {
        while (Data.Count % alignment != 0)
            Data.Add(fill);
    }
}

public static class CoffWriter
{
    public const ushort MachineAmd64 = 0x8664;
    public const uint ContainsCode = 0x00000020;
    public const uint ContainsInitializedData = 0x00000040;
    public const uint ContainsUninitializedData = 0x00000080;
    public const uint Align4 = 0x00300000;
    public const uint Align8 = 0x00400000;
    public const uint Align16 = 0x00500000;
    public const uint AlignMask = 0x00F00000;
    public const uint MemoryExecute = 0x20000000;
    public const uint MemoryRead = 0x40000000;
    public const uint MemoryWrite = 0x80000000;

    public const uint TextCharacteristics = ContainsCode | Align16 | MemoryExecute | MemoryRead;
    public const uint DataCharacteristics = ContainsInitializedData | Align8 | MemoryRead | MemoryWrite;
    public const uint ReadOnlyDataCharacteristics = ContainsInitializedData | Align16 | MemoryRead;
    public const uint BssCharacteristics = ContainsUninitializedData | Align16 | MemoryRead | MemoryWrite;

    private const int FileHeaderSize = 20;
    private const int SectionHeaderSize = 40;
    private const int RelocationSize = 10;
    private const int SymbolSize = 18;
    private const byte StorageClassExternal = 2;
    private const ushort SymbolTypeFunction = 0x20;

    /// <summary>Serializes the sections; every symbol a relocation names but no section defines becomes an external reference.</summary>
    public static byte[] Write(IReadOnlyList<CoffSection> sections)
    {
        var symbols = new List<(string Name, uint Value, short Section, ushort Type)>();
        var symbolIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int s = 0; s < sections.Count; s++)
        {
            foreach (CoffSymbol symbol in sections[s].Symbols)
            {
                if (!symbolIndex.TryAdd(symbol.Name, symbols.Count))
                    throw new InvalidOperationException($"symbol '{symbol.Name}' is defined twice");
                symbols.Add((symbol.Name, symbol.Value, (short)(s + 1), symbol.IsFunction ? SymbolTypeFunction : (ushort)0));
            }
        }

        foreach (CoffSection section in sections)
        {
            foreach (CoffRelocation relocation in section.Relocations)
            {
                if (symbolIndex.TryAdd(relocation.Symbol, symbols.Count))
                    symbols.Add((relocation.Symbol, 0, 0, 0));
            }
        }

        var output = new List<byte>();
        int headersEnd = FileHeaderSize + (SectionHeaderSize * sections.Count);
        var rawOffsets = new int[sections.Count];
        var relocationOffsets = new int[sections.Count];
        int position = headersEnd;
        for (int s = 0; s < sections.Count; s++)
        {
            rawOffsets[s] = sections[s].IsUninitialized ? 0 : position;
            if (!sections[s].IsUninitialized)
                position += sections[s].Data.Count;
            relocationOffsets[s] = sections[s].Relocations.Count == 0 ? 0 : position;
            position += sections[s].Relocations.Count * RelocationSize;
        }

        int symbolTableOffset = position;
        var strings = new List<byte>();

        Span<byte> header = stackalloc byte[FileHeaderSize];
        BinaryPrimitives.WriteUInt16LittleEndian(header, MachineAmd64);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], (ushort)sections.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], 0); // timestamp: 0 keeps builds reproducible
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], (uint)symbolTableOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], (uint)symbols.Count);
        output.AddRange(header.ToArray());

        for (int s = 0; s < sections.Count; s++)
        {
            CoffSection section = sections[s];
            var sectionHeader = new byte[SectionHeaderSize];
            Encoding.ASCII.GetBytes(section.Name).CopyTo(sectionHeader, 0);
            BinaryPrimitives.WriteUInt32LittleEndian(sectionHeader.AsSpan(16), section.Size);
            BinaryPrimitives.WriteUInt32LittleEndian(sectionHeader.AsSpan(20), (uint)rawOffsets[s]);
            BinaryPrimitives.WriteUInt32LittleEndian(sectionHeader.AsSpan(24), (uint)relocationOffsets[s]);
            if (section.Relocations.Count > 0xFFFF)
                throw new InvalidOperationException($"section {section.Name} has too many relocations");
            BinaryPrimitives.WriteUInt16LittleEndian(sectionHeader.AsSpan(32), (ushort)section.Relocations.Count);
            BinaryPrimitives.WriteUInt32LittleEndian(sectionHeader.AsSpan(36), section.Characteristics);
            output.AddRange(sectionHeader);
        }

        for (int s = 0; s < sections.Count; s++)
        {
            if (!sections[s].IsUninitialized)
                output.AddRange(sections[s].Data);
            foreach (CoffRelocation relocation in sections[s].Relocations)
            {
                var record = new byte[RelocationSize];
                BinaryPrimitives.WriteUInt32LittleEndian(record, relocation.Offset);
                BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), (uint)symbolIndex[relocation.Symbol]);
                BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(8), (ushort)relocation.Type);
                output.AddRange(record);
            }
        }

        foreach (var symbol in symbols)
        {
            var record = new byte[SymbolSize];
            byte[] name = Encoding.ASCII.GetBytes(symbol.Name);
            if (name.Length <= 8)
            {
                name.CopyTo(record, 0);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), (uint)(4 + strings.Count));
                strings.AddRange(name);
                strings.Add(0);
            }

            BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), symbol.Value);
            BinaryPrimitives.WriteInt16LittleEndian(record.AsSpan(12), symbol.Section);
            BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(14), symbol.Type);
            record[16] = StorageClassExternal;
            output.AddRange(record);
        }

        var stringTableSize = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(stringTableSize, (uint)(4 + strings.Count));
        output.AddRange(stringTableSize);
        output.AddRange(strings);
        return output.ToArray();
    }
}
