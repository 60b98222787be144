// Builds the kernel's symbol table (format: Shared/Diagnostics/SymbolTable.cs)
// from the linker map: every symbol in a code section becomes an entry that
// reaches to the next symbol or the end of the section's code, named in
// readable form (SymbolNames). Where several names share an address (an
// export alias and the method, say) the managed method's name wins.
using System.Buffers.Binary;
using System.Text;

namespace AsmGen.Symbols;

public sealed record SymbolEntry(uint Rva, uint Size, string Name);

public static class SymbolTableBuilder
{
    public const uint Magic = 0x4D59534B; // "KSYM"
    public const uint Version = 1;
    public const int HeaderSize = 32;
    public const int EntrySize = 16;

    public static IReadOnlyList<SymbolEntry> Entries(LinkerMap map)
    {
        var entries = new List<SymbolEntry>();
        foreach (IGrouping<int, MapSection> section in map.Sections.Where(s => s.IsCode).GroupBy(s => s.Index))
        {
            ulong? start = map.SectionStart(section.Key);
            if (start is null)
                continue;
            uint codeEnd = section.Max(s => s.Offset + s.Length);
            var byOffset = map.Symbols
                .Where(s => s.Section == section.Key && s.Offset < codeEnd)
                .GroupBy(s => s.Offset)
                .OrderBy(g => g.Key)
                .ToList();
            for (int i = 0; i < byOffset.Count; i++)
            {
                uint offset = byOffset[i].Key;
                uint end = i + 1 < byOffset.Count ? byOffset[i + 1].Key : codeEnd;
                MapSymbol chosen = byOffset[i].OrderByDescending(s => SymbolNames.IsManaged(s.Name)).First();
                ulong rva = start.Value + offset - map.PreferredBase;
                entries.Add(new SymbolEntry(checked((uint)rva), end - offset, SymbolNames.Readable(chosen.Name)));
            }
        }

        return entries.OrderBy(e => e.Rva).ToList();
    }

    public static byte[] Serialize(IReadOnlyList<SymbolEntry> entries, ulong imageBase)
    {
        var names = new List<byte>();
        var table = new byte[HeaderSize + (entries.Count * EntrySize)];
        for (int i = 0; i < entries.Count; i++)
        {
            SymbolEntry entry = entries[i];
            byte[] name = Encoding.ASCII.GetBytes(entry.Name);
            Span<byte> record = table.AsSpan(HeaderSize + (i * EntrySize), EntrySize);
            BinaryPrimitives.WriteUInt32LittleEndian(record, entry.Rva);
            BinaryPrimitives.WriteUInt32LittleEndian(record[4..], entry.Size);
            BinaryPrimitives.WriteUInt32LittleEndian(record[8..], (uint)names.Count);
            BinaryPrimitives.WriteUInt32LittleEndian(record[12..], (uint)name.Length);
            names.AddRange(name);
        }

        Span<byte> header = table.AsSpan(0, HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], Version);
        BinaryPrimitives.WriteUInt64LittleEndian(header[8..], imageBase);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], (uint)entries.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], (uint)table.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], (uint)names.Count);
        return table.Concat(names).ToArray();
    }
}
