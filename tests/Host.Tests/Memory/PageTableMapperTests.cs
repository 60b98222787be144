using Shared.Memory;
using Xunit;

namespace Host.Tests.Memory;

public sealed class PageTableMapperTests : IDisposable
{
    private readonly SimulatedPhysicalMemory _memory = new();
    private readonly PageTableMapper<SimulatedTables> _mapper;

    public PageTableMapperTests()
    {
        Assert.True(PageTableMapper<SimulatedTables>.TryCreate(new SimulatedTables(_memory), out _mapper));
    }

    public void Dispose() => _memory.Dispose();

    [Fact]
    public void Map4KiB_TranslatesEveryByteBack_WithItsFlags()
    {
        var virt = new VirtualAddress(0xFFFF_8000_0010_0000);
        var phys = new PhysicalAddress(0x0200_0000);
        Assert.Equal(MapResult.Success, _mapper.MapRange(virt, phys, 3 * 4096, PageTableFlags.Writable | PageTableFlags.NoExecute));

        for (ulong offset = 0; offset < 3 * 4096; offset += 511)
        {
            Assert.True(_mapper.TryTranslate(virt + offset, out PhysicalAddress translated, out PageTableFlags flags, out PageSize size));
            Assert.Equal(phys.Value + offset, translated.Value);
            Assert.Equal(PageSize.Size4KiB, size);
            Assert.True(flags.HasFlag(PageTableFlags.Present | PageTableFlags.Writable | PageTableFlags.NoExecute));
        }

        Assert.False(_mapper.TryTranslate(virt + (3 * 4096), out _, out _, out _));
    }

    [Fact]
    public void MapRange_UsesHugePagesWhereAligned_And4KiBAtTheEdges()
    {
        // 4 KiB head, then 2 MiB pages, then a 4 KiB tail.
        var virt = new VirtualAddress(0xFFFF_C000_001F_F000);
        var phys = new PhysicalAddress(0x001F_F000);
        ulong size = 0x1000 + (2 * 0x20_0000) + 0x1000;
        Assert.Equal(MapResult.Success, _mapper.MapRange(virt, phys, size, PageTableFlags.Writable, PageSize.Size2MiB));

        Assert.True(_mapper.TryTranslate(virt, out _, out _, out PageSize head));
        Assert.True(_mapper.TryTranslate(virt + 0x1000, out PhysicalAddress middle, out PageTableFlags flags, out PageSize huge));
        Assert.True(_mapper.TryTranslate(virt + (size - 1), out PhysicalAddress last, out _, out PageSize tail));
        Assert.Equal(PageSize.Size4KiB, head);
        Assert.Equal(PageSize.Size2MiB, huge);
        Assert.True(flags.HasFlag(PageTableFlags.HugePage));
        Assert.Equal(PageSize.Size4KiB, tail);
        Assert.Equal(0x0020_0000UL, middle.Value);
        Assert.Equal(phys.Value + size - 1, last.Value);
    }

    [Fact]
    public void MapRange_With1GiBPages_NeedsOnlyTheUpperTables()
    {
        Assert.Equal(MapResult.Success, _mapper.MapRange(new VirtualAddress(0xFFFF_C000_0000_0000), PhysicalAddress.Zero, 8UL << 30, PageTableFlags.Writable, PageSize.Size1GiB));
        Assert.Equal(2, _memory.TablesAllocated); // PML4 + one PDPT
        Assert.True(_mapper.TryTranslate(new VirtualAddress(0xFFFF_C001_2345_6789), out PhysicalAddress phys, out _, out PageSize size));
        Assert.Equal(0x1_2345_6789UL, phys.Value);
        Assert.Equal(PageSize.Size1GiB, size);
    }

    [Fact]
    public void Map_ReportsConflicts_InsteadOfOverwriting()
    {
        var virt = new VirtualAddress(0x4000_0000);
        Assert.Equal(MapResult.Success, _mapper.Map(virt, new PhysicalAddress(0x1000), PageSize.Size4KiB, PageTableFlags.None));
        Assert.Equal(MapResult.AlreadyMapped, _mapper.Map(virt, new PhysicalAddress(0x2000), PageSize.Size4KiB, PageTableFlags.None));
        Assert.True(_mapper.TryTranslate(virt, out PhysicalAddress phys, out _, out _));
        Assert.Equal(0x1000UL, phys.Value);

        var hugeVirt = new VirtualAddress(0x8000_0000);
        Assert.Equal(MapResult.Success, _mapper.Map(hugeVirt, new PhysicalAddress(0x4000_0000), PageSize.Size2MiB, PageTableFlags.None));
        Assert.Equal(MapResult.HugePageConflict, _mapper.Map(hugeVirt + 0x1000, new PhysicalAddress(0x1000), PageSize.Size4KiB, PageTableFlags.None));
        Assert.Equal(MapResult.Misaligned, _mapper.Map(new VirtualAddress(0x1234), new PhysicalAddress(0x1000), PageSize.Size4KiB, PageTableFlags.None));
    }

    [Fact]
    public void Map_ReportsOutOfMemory_WhenNoTableFrameIsLeft()
    {
        using var tiny = new SimulatedPhysicalMemory(limit: 2);
        Assert.True(PageTableMapper<SimulatedTables>.TryCreate(new SimulatedTables(tiny), out var mapper));
        Assert.Equal(MapResult.OutOfMemory, mapper.Map(new VirtualAddress(0x1000), new PhysicalAddress(0x1000), PageSize.Size4KiB, PageTableFlags.None));
    }

    [Fact]
    public void ClearTopLevelEntries_RemovesWholeHalves_AndLeavesTheRest()
    {
        var low = new VirtualAddress(0x0000_0000_0020_0000);
        var high = new VirtualAddress(0xFFFF_8000_0000_0000);
        Assert.Equal(MapResult.Success, _mapper.Map(low, new PhysicalAddress(0x1000), PageSize.Size4KiB, PageTableFlags.None));
        Assert.Equal(MapResult.Success, _mapper.Map(high, new PhysicalAddress(0x2000), PageSize.Size4KiB, PageTableFlags.None));
        Assert.True(_mapper.TopLevelEntry(0).IsPresent);

        _mapper.ClearTopLevelEntries(0, 256);

        Assert.True(_mapper.TopLevelEntry(0).IsUnused);
        Assert.False(_mapper.TryTranslate(low, out _, out _, out _));
        Assert.True(_mapper.TryTranslate(high, out PhysicalAddress phys, out _, out _));
        Assert.Equal(0x2000UL, phys.Value);
        Assert.Throws<ArgumentOutOfRangeException>(() => _mapper.ClearTopLevelEntries(500, 13));
        Assert.Throws<ArgumentOutOfRangeException>(() => _mapper.TopLevelEntry(512));
    }
}
