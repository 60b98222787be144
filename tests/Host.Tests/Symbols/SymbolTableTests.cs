// The embedded symbol table end to end on the host: built from a map by the
// build tool (tools/AsmGen/Symbols), read by the kernel's reader
// (Shared/Diagnostics/SymbolTable.cs) - two independent implementations of
// one format that must agree - plus the reader's defences against a damaged table.
using System.Buffers.Binary;
using System.Text;
using AsmGen;
using AsmGen.Symbols;
using Shared.Diagnostics;
using Xunit;

namespace Host.Tests.Symbols;

public sealed class SymbolTableTests
{
    private static readonly LinkerMap s_map = LinkerMap.Parse(SampleMaps.Kernel());

    [Fact]
    public void Entries_CoverCodeSectionsOnly_EachUpToTheNextSymbolOrTheEndOfTheCode()
    {
        IReadOnlyList<SymbolEntry> entries = SymbolTableBuilder.Entries(s_map);

        Assert.Equal(
            new[]
            {
                new SymbolEntry(0x1000, 0x10, "rt_halt_forever"),
                new SymbolEntry(0x1010, 0x530, "cpu_int3"),
                new SymbolEntry(0x1540, 0x6, "cpu_last"),
                new SymbolEntry(0x6000, 0xC0, "Kernel.BootLog.Stage"),
                new SymbolEntry(0x60C0, 0x60, "Kernel.KernelMain.Entry"),
                new SymbolEntry(0x6120, 0xE0, "System.Collections.Generic.List<Int32>.Add"),
                new SymbolEntry(0x6200, 0x100, "Kernel.Diagnostics.Panic.Fail"),
            },
            entries);
    }

    [Fact]
    public void Lookup_FindsTheContainingFunction_AndNothingOutsideFunctions()
    {
        byte[] bytes = SymbolTableBuilder.Serialize(SymbolTableBuilder.Entries(s_map), s_map.PreferredBase);
        Assert.True(SymbolTable.TryOpen(bytes, out SymbolTable table));
        Assert.Equal(7, table.Count);

        Assert.Equal("Kernel.KernelMain.Entry", Find(table, 0xFFFF8000000060C0));
        Assert.Equal("Kernel.KernelMain.Entry", Find(table, 0xFFFF80000000611F));
        Assert.Equal("System.Collections.Generic.List<Int32>.Add", Find(table, 0xFFFF800000006120));
        Assert.Equal("cpu_last", Find(table, 0xFFFF800000001545));
        Assert.Null(Find(table, 0xFFFF800000001546)); // past the end of .text's code
        Assert.Null(Find(table, 0xFFFF800000000FFF)); // before the first function
        Assert.Null(Find(table, 0xFFFF800000002060)); // data
        Assert.Null(Find(table, 0xFFFF800000006300)); // past the last function
        Assert.Null(Find(table, 0x1000));             // below the image base
    }

    [Fact]
    public void Lookup_AgreesWithALinearSearch_OnRandomTables()
    {
        var random = new Random(20261123);
        for (int round = 0; round < 50; round++)
        {
            var entries = new List<SymbolEntry>();
            uint rva = (uint)random.Next(0x1000, 0x2000);
            int count = random.Next(0, 400);
            for (int i = 0; i < count; i++)
            {
                rva += (uint)random.Next(0, 64); // gaps between functions, sometimes none
                uint size = (uint)random.Next(1, 300);
                entries.Add(new SymbolEntry(rva, size, "f" + i.ToString()));
                rva += size;
            }

            ulong imageBase = 0xFFFF800000000000;
            Assert.True(SymbolTable.TryOpen(SymbolTableBuilder.Serialize(entries, imageBase), out SymbolTable table));
            for (int probe = 0; probe < 500; probe++)
            {
                ulong address = imageBase + (ulong)random.Next(0xF00, (int)rva + 0x100);
                SymbolEntry? expected = entries.FirstOrDefault(e => address >= imageBase + e.Rva && address < imageBase + e.Rva + e.Size);
                Assert.Equal(expected?.Name, Find(table, address));
            }
        }
    }

    [Fact]
    public void TryOpen_RejectsDamagedTables()
    {
        byte[] good = SymbolTableBuilder.Serialize(SymbolTableBuilder.Entries(s_map), s_map.PreferredBase);
        Assert.True(SymbolTable.TryOpen(good, out _));

        Assert.False(SymbolTable.TryOpen(good.AsSpan(0, 20), out _), "shorter than the header");
        Assert.False(SymbolTable.TryOpen(good.AsSpan(0, good.Length - 1), out _), "names cut off");
        Assert.False(SymbolTable.TryOpen(Patched(good, 0, 0x12345678), out _), "bad magic");
        Assert.False(SymbolTable.TryOpen(Patched(good, 4, 2), out _), "unknown version");
        Assert.False(SymbolTable.TryOpen(Patched(good, 16, 1000), out _), "count beyond the entries");
        Assert.False(SymbolTable.TryOpen(Patched(good, SymbolTableBuilder.HeaderSize + 8, 100_000), out _), "name outside the names");
        Assert.False(SymbolTable.TryOpen(Patched(good, SymbolTableBuilder.HeaderSize + SymbolTableBuilder.EntrySize, 0), out _), "entries out of order");
        Assert.False(SymbolTable.TryOpen(Patched(good, SymbolTableBuilder.HeaderSize + 4, 0), out _), "empty function");

        // Without the entry check only the header and bounds are verified.
        Assert.True(SymbolTable.TryOpen(Patched(good, SymbolTableBuilder.HeaderSize + SymbolTableBuilder.EntrySize, 0), out _, checkEntries: false));
        Assert.False(SymbolTable.TryOpen(Patched(good, 16, 1000), out _, checkEntries: false), "count beyond the entries");
    }

    [Fact]
    public void SizeFromHeader_IsTheWholeTable()
    {
        byte[] bytes = SymbolTableBuilder.Serialize(SymbolTableBuilder.Entries(s_map), s_map.PreferredBase);
        Assert.Equal((ulong)bytes.Length, SymbolTable.SizeFromHeader(bytes));
        Assert.Equal(0UL, SymbolTable.SizeFromHeader(new byte[32]));
    }

    [Fact]
    public void TableObject_HoldsTheTableInItsOwnSectionUnderTheKernelsSymbol()
    {
        byte[] obj = SymbolTableObject.FromMap(s_map);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(obj.AsSpan(2)));
        Assert.Equal(SymbolTableObject.SectionName, Encoding.ASCII.GetString(obj, 20, 8));
        uint characteristics = BinaryPrimitives.ReadUInt32LittleEndian(obj.AsSpan(20 + 36));
        Assert.Equal(0u, characteristics & (CoffWriter.MemoryWrite | CoffWriter.MemoryExecute));
        int rawOffset = BinaryPrimitives.ReadInt32LittleEndian(obj.AsSpan(20 + 20));
        int rawSize = BinaryPrimitives.ReadInt32LittleEndian(obj.AsSpan(20 + 16));
        Assert.True(SymbolTable.TryOpen(obj.AsSpan(rawOffset, rawSize), out SymbolTable table));
        Assert.Equal(7, table.Count);
        Assert.Contains(SymbolTableObject.TableSymbol, Encoding.ASCII.GetString(obj));

        byte[] placeholder = SymbolTableObject.Placeholder(0);
        int placeholderOffset = BinaryPrimitives.ReadInt32LittleEndian(placeholder.AsSpan(20 + 20));
        Assert.True(SymbolTable.TryOpen(placeholder.AsSpan(placeholderOffset, SymbolTableBuilder.HeaderSize), out SymbolTable empty));
        Assert.Equal(0, empty.Count);
    }

    private static string? Find(SymbolTable table, ulong address)
        => table.TryFind(address, out SymbolMatch match) ? Encoding.ASCII.GetString(table.NameOf(match)) : null;

    private static byte[] Patched(byte[] table, int offset, uint value)
    {
        byte[] copy = (byte[])table.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(offset), value);
        return copy;
    }
}
