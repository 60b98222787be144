using Shared.Memory;
using Xunit;

namespace Host.Tests.Memory;

// The typed half of PageTableMapper over simulated physical memory: map,
// translate and unmap round trips at every page size, each error result, and
// page tables created on the way down and released on the way back up.
public sealed class PageTableUnmapTests : IDisposable
{
    private const PageTableFlags Data = PageTableFlags.Writable | PageTableFlags.NoExecute;

    private readonly SimulatedPhysicalMemory _memory = new();
    private readonly PageTableMapper<SimulatedTables> _mapper;

    public PageTableUnmapTests()
    {
        Assert.True(PageTableMapper<SimulatedTables>.TryCreate(new SimulatedTables(_memory), out _mapper));
    }

    public void Dispose() => _memory.Dispose();

    [Fact]
    public void RoundTrip4KiB_LowHalf_ReleasesEveryTableButTheRoot()
    {
        var page = Page<Size4KiB>.FromStart(new VirtualAddress(0x0000_1234_5678_9000));
        var frame = PhysicalFrame<Size4KiB>.FromStart(new PhysicalAddress(0x7_0000_1000));
        Assert.Equal(MapResult.Success, _mapper.Map(page, frame, Data));
        Assert.Equal(4, _memory.TablesAllocated); // root, PDPT, PD, PT

        Assert.True(_mapper.TryTranslate(page.Start + 0xABC, out Translation t));
        Assert.Equal(frame.Start + 0xABC, t.Physical);
        Assert.Equal(PageSize.Size4KiB, t.Size);
        Assert.Equal(frame.Start, t.FrameStart);
        Assert.Equal(Data | PageTableFlags.Present, t.Flags);

        Assert.Equal(MapResult.Success, _mapper.Unmap(page, out PhysicalFrame<Size4KiB> returned));
        Assert.Equal(frame, returned);
        Assert.False(_mapper.TryTranslate(page.Start, out _));
        Assert.Equal(1, _memory.TablesAllocated);
        Assert.Equal(3, _memory.Freed.Count);
        Assert.Equal(0UL, _mapper.TopLevelEntry(page.Start.TableIndex(4)).Raw);
    }

    [Fact]
    public void Unmap_HigherHalf_KeepsTheTableTheTopLevelEntryPointsTo()
    {
        var page = Page<Size4KiB>.FromStart(new VirtualAddress(0xFFFF_D000_0000_0000));
        Assert.Equal(MapResult.Success, _mapper.Map(page, PhysicalFrame<Size4KiB>.FromStart(new PhysicalAddress(0x5000)), Data));
        Assert.Equal(MapResult.Success, _mapper.Unmap(page, out _));

        // Shared by every address space that maps the kernel: the PDPT stays, PD and PT go.
        Assert.Equal(2, _memory.TablesAllocated);
        Assert.True(_mapper.TopLevelEntry(page.Start.TableIndex(4)).IsPresent);
    }

    [Fact]
    public void Unmap_KeepsTablesThatStillMapSomething()
    {
        var first = Page<Size4KiB>.FromStart(new VirtualAddress(0x40_0000));
        Assert.Equal(MapResult.Success, _mapper.Map(first, PhysicalFrame<Size4KiB>.FromStart(new PhysicalAddress(0x1000)), Data));
        Assert.Equal(MapResult.Success, _mapper.Map(first.Add(1), PhysicalFrame<Size4KiB>.FromStart(new PhysicalAddress(0x2000)), Data));
        Assert.Equal(MapResult.Success, _mapper.Unmap(first, out _));
        Assert.Empty(_memory.Freed);
        Assert.True(_mapper.TryTranslate(first.Add(1).Start, out Translation t));
        Assert.Equal(0x2000UL, t.Physical.Value);
        Assert.Equal(MapResult.Success, _mapper.Unmap(first.Add(1), out _));
        Assert.Equal(3, _memory.Freed.Count);
    }

    [Fact]
    public void RoundTrip2MiB_TranslatesEveryOffset_AndReturnsTheFrame()
    {
        var page = Page<Size2MiB>.FromStart(new VirtualAddress(0xFFFF_C000_4020_0000));
        var frame = PhysicalFrame<Size2MiB>.FromStart(new PhysicalAddress(0x1_0060_0000));
        Assert.Equal(MapResult.Success, _mapper.Map(page, frame, Data));
        foreach (ulong offset in new ulong[] { 0, 0x1000, 0x1F_FFFF })
        {
            Assert.True(_mapper.TryTranslate(page.Start + offset, out Translation t));
            Assert.Equal(frame.Start + offset, t.Physical);
            Assert.Equal(PageSize.Size2MiB, t.Size);
            Assert.True(t.Flags.HasFlag(PageTableFlags.HugePage));
        }

        Assert.Equal(MapResult.Success, _mapper.Unmap(page, out PhysicalFrame<Size2MiB> returned));
        Assert.Equal(frame, returned);
        Assert.Single(_memory.Freed); // the PD; the PDPT stays (higher half)
    }

    [Fact]
    public void RoundTrip1GiB_TranslatesTheLastByte_AndReturnsTheFrame()
    {
        var page = Page<Size1GiB>.FromStart(new VirtualAddress(0x0000_0040_0000_0000));
        var frame = PhysicalFrame<Size1GiB>.FromStart(new PhysicalAddress(0x3_4000_0000 & ~(Size1GiB.Bytes - 1)));
        Assert.Equal(MapResult.Success, _mapper.Map(page, frame, Data));
        Assert.Equal(2, _memory.TablesAllocated);
        Assert.True(_mapper.TryTranslate(page.Start + (Size1GiB.Bytes - 1), out Translation t));
        Assert.Equal(frame.Start + (Size1GiB.Bytes - 1), t.Physical);
        Assert.Equal(PageSize.Size1GiB, t.Size);
        Assert.Equal(frame.Start, t.FrameStart);
        Assert.Equal(MapResult.Success, _mapper.Unmap(page, out PhysicalFrame<Size1GiB> returned));
        Assert.Equal(frame, returned);
        Assert.Equal(1, _memory.TablesAllocated);
    }

    [Fact]
    public void Translate_InsideA1GiBPage_IsNotConfusedWithATablePointer()
    {
        // blog_os issue #852: a translate that ignores the huge bit reads the 1 GiB frame as a table.
        var page = Page<Size1GiB>.FromStart(new VirtualAddress(0xFFFF_C000_0000_0000));
        Assert.Equal(MapResult.Success, _mapper.Map(page, PhysicalFrame<Size1GiB>.FromStart(new PhysicalAddress(0x4000_0000)), Data));
        Assert.True(_mapper.TryTranslate(new VirtualAddress(0xFFFF_C000_1234_5678), out Translation t));
        Assert.Equal(0x5234_5678UL, t.Physical.Value);
    }

    [Fact]
    public void Errors_AreResults()
    {
        var huge = Page<Size2MiB>.FromStart(new VirtualAddress(0x20_0000));
        Assert.Equal(MapResult.Success, _mapper.Map(huge, PhysicalFrame<Size2MiB>.FromStart(new PhysicalAddress(0x20_0000)), Data));

        var inside = Page<Size4KiB>.FromStart(new VirtualAddress(0x20_1000));
        var frame = PhysicalFrame<Size4KiB>.FromStart(new PhysicalAddress(0x9000));
        Assert.Equal(MapResult.HugePageConflict, _mapper.Map(inside, frame, Data));
        Assert.Equal(MapResult.HugePageConflict, _mapper.Unmap(inside, out _));
        Assert.Equal(MapResult.HugePageConflict, _mapper.UpdateFlags(inside, Data));
        Assert.Equal(MapResult.AlreadyMapped, _mapper.Map(huge, PhysicalFrame<Size2MiB>.FromStart(new PhysicalAddress(0x40_0000)), Data));

        var small = Page<Size4KiB>.FromStart(new VirtualAddress(0x60_0000));
        Assert.Equal(MapResult.Success, _mapper.Map(small, frame, Data));
        Assert.Equal(MapResult.PageSizeMismatch, _mapper.Unmap(Page<Size2MiB>.FromStart(new VirtualAddress(0x60_0000)), out _));
        Assert.Equal(MapResult.NotMapped, _mapper.Unmap(small.Add(1), out _));
        Assert.Equal(MapResult.NotMapped, _mapper.Unmap(Page<Size4KiB>.FromStart(new VirtualAddress(0x7F00_0000_0000)), out _));
        Assert.Equal(MapResult.NotMapped, _mapper.UpdateFlags(small.Add(1), Data));
        Assert.Empty(_memory.Freed);
    }

    [Fact]
    public void Map_OutOfFrames_IsAResult()
    {
        using var tight = new SimulatedPhysicalMemory(limit: 2);
        Assert.True(PageTableMapper<SimulatedTables>.TryCreate(new SimulatedTables(tight), out PageTableMapper<SimulatedTables> mapper));
        var page = Page<Size4KiB>.FromStart(new VirtualAddress(0x1000));
        Assert.Equal(MapResult.OutOfMemory, mapper.Map(page, PhysicalFrame<Size4KiB>.FromStart(new PhysicalAddress(0x1000)), Data));
    }

    [Fact]
    public void UpdateFlags_KeepsTheFrameAndTheHugeBit()
    {
        var page = Page<Size2MiB>.FromStart(new VirtualAddress(0xFFFF_8000_0020_0000));
        var frame = PhysicalFrame<Size2MiB>.FromStart(new PhysicalAddress(0x80_0000));
        Assert.Equal(MapResult.Success, _mapper.Map(page, frame, Data));
        Assert.Equal(MapResult.Success, _mapper.UpdateFlags(page, PageTableFlags.NoExecute | PageTableFlags.Global));
        Assert.True(_mapper.TryTranslate(page.Start + 5, out Translation t));
        Assert.Equal(frame.Start + 5, t.Physical);
        Assert.Equal(PageTableFlags.Present | PageTableFlags.HugePage | PageTableFlags.NoExecute | PageTableFlags.Global, t.Flags);
    }

    [Fact]
    public void TypedPagesAndFrames_RefuseMisalignedStarts()
    {
        Assert.False(Page<Size2MiB>.TryFromStart(new VirtualAddress(0x1000), out _));
        Assert.True(Page<Size4KiB>.TryFromStart(new VirtualAddress(0x1000), out _));
        Assert.Throws<ArgumentException>(() => PhysicalFrame<Size1GiB>.FromStart(new PhysicalAddress(0x20_0000)));
        Assert.Equal(new VirtualAddress(0x4000_0000), Page<Size1GiB>.Containing(new VirtualAddress(0x7FFF_FFFF)).Start);
        var range = new PhysicalFrameRange<Size4KiB>(PhysicalFrame<Size4KiB>.FromStart(new PhysicalAddress(0x10_0000)), 3);
        Assert.Equal(0x10_2000UL, range[2].Start.Value);
        Assert.True(range.Contains(new PhysicalAddress(0x10_2FFF)));
        Assert.False(range.Contains(new PhysicalAddress(0x10_3000)));
        Assert.Equal(3UL * 512, new PageRange<Size2MiB>(Page<Size2MiB>.FromStart(VirtualAddress.Zero), 3).Bytes / 4096);
    }
}
