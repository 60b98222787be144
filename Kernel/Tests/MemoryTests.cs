// Paging and physical memory from inside the kernel: the frame allocator
// against the memory map, the typed mapper on the live page tables (translate
// with huge pages, map/unmap with the TLB in step, error results, page-table
// frames released), reclaimed boot memory and the heap region. Suite
// "memory"; tests/Boot.Tests/MemoryBootTests.cs also runs it on 128 MiB,
// 3 GiB and 8 GiB machines and checks the "[memory]" line against -m.
using Kernel.Arch;
using Kernel.Diagnostics;
using Kernel.Memory;
using Kernel.Testing;
using Shared.Boot;
using Shared.Memory;

namespace Kernel.Tests;

internal static unsafe class MemoryTests
{
    private const string Suite = "memory";

    /// <summary>Free virtual space the tests map into: in the stack region, far above the IST slots.</summary>
    private const ulong TestArea = KernelLayout.StackRegionBase + 0x8000_0000;

    /// <summary>A 2 MiB-aligned test address whose level-2 table nothing else uses.</summary>
    private const ulong TestHugeArea = KernelLayout.StackRegionBase + 0xC000_0000;

    /// <summary>The page the should-panic test maps, unmaps and then touches.</summary>
    public const ulong UnmappedAfterUse = TestArea + 0x10_0000;

    private static BootInfo* Info => KernelState.BootInfo;

    private static ulong FramesIn(MemoryRegion region)
    {
        ulong first = (region.Start + 4095) / 4096;
        ulong end = region.End / 4096;
        return end > first ? end - first : 0;
    }

    [KernelTest(Suite = Suite)]
    public static void FrameCounts_AgreeWithTheMemoryMap()
    {
        ulong ram = 0, usable = 0, managedKinds = 0;
        for (ulong i = 0; i < Info->MemoryRegionCount; i++)
        {
            MemoryRegion region = Info->MemoryRegions[i];
            if (PhysicalFrameAllocator.IsRam(region.Kind))
                ram += FramesIn(region);
            if (region.Kind == MemoryRegionKind.Usable)
                usable += FramesIn(region);
            if (PhysicalFrameAllocator.IsManaged(region.Kind))
                managedKinds += FramesIn(region);
        }

        FrameCounts counts = FrameAllocator.Counts;
        Assert.Equal(usable, FrameAllocator.FramesOfKind(MemoryRegionKind.Usable));
        Assert.Equal(counts.Managed, counts.Free + counts.Used);
        Assert.Equal(ram, counts.Managed + counts.Reserved);
        Assert.True(counts.Managed <= managedKinds && managedKinds - counts.Managed <= counts.Metadata + 1, "only the metadata and frame 0 are held back from managed regions");
        Assert.True(counts.Free > 0 && counts.Free <= counts.Managed, "free frames exist");
        Assert.True(FrameAllocator.BootMemoryReclaimed && counts.BootHeld == 0, "boot memory was reclaimed at start-up");
        KernelLog.WriteLine("[memory] managed " + (counts.Managed * 4).ToString() + " KiB, reserved " + (counts.Reserved * 4).ToString()
            + " KiB, metadata " + (counts.Metadata * 4).ToString() + " KiB, ram in map " + (ram * 4).ToString() + " KiB");
    }

    [KernelTest(Suite = Suite)]
    public static void Translate_KernelStackFramebufferAndWindow_WithHugePages()
    {
        // Kernel code: the loader copied the image to KernelPhysicalBase + RVA.
        ulong code = (ulong)(delegate*<void>)&FrameCounts_AgreeWithTheMemoryMap;
        Assert.True(KernelPageTables.TryTranslate(new VirtualAddress(code), out Translation text), "kernel code is mapped");
        Assert.Equal(Info->KernelPhysicalBase + (code - Info->KernelVirtualBase), text.Physical.Value);
        Assert.True((text.Flags & (PageTableFlags.Writable | PageTableFlags.NoExecute)) == 0, "code is read-only and executable");

        // The stack: a local's address leads into the memory map's kernel-stack region.
        ulong local = 0x5A5A;
        Assert.True(KernelPageTables.TryTranslate(new VirtualAddress((ulong)&local), out Translation stack), "the stack is mapped");
        Assert.Equal(local, *(ulong*)PhysicalWindow.Pointer(stack.Physical));
        Assert.True(RegionKindOf(stack.Physical) == MemoryRegionKind.KernelStack, "the stack's frame is listed as kernel stack");

        // The physical window: huge pages of the size the loader reports, offset kept.
        var windowed = new VirtualAddress(KernelState.PhysicalMemoryOffset + 0x123_4567);
        Assert.True(KernelPageTables.TryTranslate(windowed, out Translation window), "the window is mapped");
        Assert.Equal(0x123_4567UL, window.Physical.Value);
        Assert.Equal(Info->PhysicalMemoryPageSize, (ulong)window.Size);
        Assert.True((window.Flags & PageTableFlags.HugePage) != 0 && (window.Flags & PageTableFlags.NoExecute) != 0, "huge, no-execute");

        FramebufferInfo fb = Info->Framebuffer;
        if (fb.IsPresent)
        {
            Assert.True(KernelPageTables.TryTranslate(new VirtualAddress(fb.VirtualBase + fb.SizeBytes - 1), out Translation pixels), "framebuffer mapped");
            Assert.Equal(fb.PhysicalBase + fb.SizeBytes - 1, pixels.Physical.Value);
        }
    }

    [KernelTest(Suite = Suite)]
    public static void MapFreshPage_ReadsBackThroughThePhysicalWindow_AndUnmapReleasesTables()
    {
        ulong freeBefore = FrameAllocator.Counts.Free;
        Assert.True(FrameAllocator.TryAllocateZeroed(out PhysicalFrame<Size4KiB> frame), "a frame");
        Page<Size4KiB> page = Page<Size4KiB>.FromStart(new VirtualAddress(TestArea));
        Assert.Equal((long)MapResult.Success, (long)KernelPageTables.Map(page, frame, PageTableFlags.Writable | PageTableFlags.NoExecute));
        Assert.True(FrameAllocator.Counts.Free < freeBefore - 1, "the mapping needed new page tables");

        // The blog's example: write through the new page, read through the window.
        *(ulong*)(TestArea + 8) = 0x_f021_f077_f065_f04e;
        Assert.Equal(0x_f021_f077_f065_f04eUL, *(ulong*)(PhysicalWindow.Pointer(frame.Start) + 8));
        Assert.True(KernelPageTables.TryTranslate(new VirtualAddress(TestArea + 8), out Translation t) && t.Physical == frame.Start + 8, "translates to the frame");

        Assert.Equal((long)MapResult.AlreadyMapped, (long)KernelPageTables.Map(page, frame, PageTableFlags.Writable | PageTableFlags.NoExecute));
        Assert.Equal((long)MapResult.Success, (long)KernelPageTables.UpdateFlags(page, PageTableFlags.NoExecute));
        Assert.True(KernelPageTables.TryTranslate(page.Start, out Translation readOnly) && (readOnly.Flags & PageTableFlags.Writable) == 0, "flags updated");

        Assert.Equal((long)MapResult.Success, (long)KernelPageTables.Unmap(page, out PhysicalFrame<Size4KiB> returned));
        Assert.True(returned == frame, "unmap returns the frame");
        Assert.False(KernelPageTables.IsMapped(page.Start), "unmapped");
        Assert.Equal((long)MapResult.NotMapped, (long)KernelPageTables.Unmap(page, out _));
        FrameAllocator.Free(frame);
        Assert.Equal(freeBefore, FrameAllocator.Counts.Free); // the level-3 table stays (higher half), the others came back
    }

    [KernelTest(Suite = Suite)]
    public static void MapperErrors_AreResults()
    {
        // A 4 KiB page inside the window's huge pages; a huge page where 4 KiB pages are mapped (the boot stack).
        var inWindow = Page<Size4KiB>.Containing(new VirtualAddress(KernelState.PhysicalMemoryOffset + 0x20_0000));
        Assert.Equal((long)MapResult.HugePageConflict, (long)KernelPageTables.Unmap(inWindow, out _));
        Assert.Equal((long)MapResult.HugePageConflict, (long)KernelPageTables.Map(inWindow, PhysicalFrame<Size4KiB>.FromStart(new PhysicalAddress(0x1000)), PageTableFlags.None));
        var stack2M = Page<Size2MiB>.Containing(new VirtualAddress(Info->KernelStackTop - 8));
        Assert.Equal((long)MapResult.PageSizeMismatch, (long)KernelPageTables.UpdateFlags(stack2M, PageTableFlags.Writable));
        Assert.Equal((long)MapResult.NotMapped, (long)KernelPageTables.Unmap(Page<Size4KiB>.FromStart(new VirtualAddress(TestArea + 0x20_0000)), out _));
    }

    [KernelTest(Suite = Suite)]
    public static void ContiguousRun_Is2MiBAligned_AndMapsAsOneHugePage()
    {
        Assert.True(FrameAllocator.TryAllocateContiguous(512, Size2MiB.Bytes, out PhysicalFrameRange<Size4KiB> run), "a free 2 MiB run");
        Assert.True(run.Start.Start.IsAligned(Size2MiB.Bytes), "aligned");
        for (ulong i = 0; i < run.Count; i++)
            Assert.False(FrameAllocator.IsFree(run[i]), "every frame of the run is taken");

        Page<Size2MiB> page = Page<Size2MiB>.FromStart(new VirtualAddress(TestHugeArea));
        Assert.Equal((long)MapResult.Success, (long)KernelPageTables.Map(page, PhysicalFrame<Size2MiB>.FromStart(run.Start.Start), PageTableFlags.Writable | PageTableFlags.NoExecute));
        Assert.True(KernelPageTables.TryTranslate(page.Start + 0x1F_FFF8, out Translation t), "mapped");
        Assert.Equal((ulong)PageSize.Size2MiB, (ulong)t.Size);
        Assert.Equal(run.Start.Start.Value + 0x1F_FFF8, t.Physical.Value);
        *(ulong*)(TestHugeArea + 0x1F_FFF8) = 42;
        Assert.Equal(42UL, *(ulong*)PhysicalWindow.Pointer(t.Physical));

        Assert.Equal((long)MapResult.Success, (long)KernelPageTables.Unmap(page, out PhysicalFrame<Size2MiB> frame));
        Assert.True(frame.Start == run.Start.Start, "unmap returns the 2 MiB frame");
        for (ulong i = 0; i < run.Count; i++)
            FrameAllocator.Free(run[i]);
    }

    [KernelTest(Suite = Suite)]
    public static void FreeingTwice_OrAReservedFrame_IsReportedWithTheAddress()
    {
        Assert.True(FrameAllocator.TryAllocate(out PhysicalFrame<Size4KiB> frame), "a frame");
        Assert.Equal((long)FrameFreeResult.Success, (long)FrameAllocator.TryFree(frame));
        FrameFreeResult again = FrameAllocator.TryFree(frame);
        Assert.Equal((long)FrameFreeResult.DoubleFree, (long)again);
        string message = FrameAllocator.DescribeFailure(again, frame);
        Assert.True(message.Contains("double free") && message.Contains(frame.Start.ToString()), message);

        var image = PhysicalFrame<Size4KiB>.Containing(new PhysicalAddress(Info->KernelPhysicalBase));
        FrameFreeResult reserved = FrameAllocator.TryFree(image);
        Assert.Equal((long)FrameFreeResult.NotManaged, (long)reserved);
        Assert.True(FrameAllocator.DescribeFailure(reserved, image).Contains(image.Start.ToString()), "names the frame");
        Assert.True(FrameAllocator.TryFree(PhysicalFrame<Size4KiB>.FromStart(PhysicalAddress.Zero)) == FrameFreeResult.NotManaged, "frame 0 is never ours");
    }

    [KernelTest(Suite = Suite)]
    public static void ReclaimedBootMemory_IsHandedOut_AndUsable()
    {
        Assert.True(FrameAllocator.FramesOfKind(MemoryRegionKind.BootReclaimable) > 0, "the loader and firmware left boot memory");

        // Take frames until one comes from reclaimed boot memory, chained through their first word.
        PhysicalAddress chain = PhysicalAddress.Zero;
        PhysicalFrame<Size4KiB> frame = default;
        bool found = false;
        while (!found && FrameAllocator.TryAllocate(out frame))
        {
            found = RegionKindOf(frame.Start) == MemoryRegionKind.BootReclaimable;
            if (!found)
                chain = Push(chain, frame);
        }

        FreeChain(chain);
        Assert.True(found, "a reclaimed boot-memory frame is handed out");
        ulong* words = (ulong*)PhysicalWindow.Pointer(frame.Start);
        for (int i = 0; i < 512; i++)
            words[i] = frame.Start.Value ^ (ulong)i;
        for (int i = 0; i < 512; i++)
            Assert.Equal(frame.Start.Value ^ (ulong)i, words[i]);
        FrameAllocator.Free(frame);
    }

    [KernelTest(Suite = Suite)]
    public static void HeapRegion_GrowsByZeroedWritableNoExecutePages_AndRefusesPastTheLimits()
    {
        ulong mappedBefore = HeapRegion.MappedBytes;
        ulong maximumBefore = HeapRegion.MaximumBytes;
        VirtualAddress end = HeapRegion.Start + mappedBefore;
        Assert.Equal(4UL * 4096, HeapRegion.Grow((3 * 4096) + 1));
        Assert.Equal(mappedBefore + (4 * 4096), HeapRegion.MappedBytes);
        for (ulong offset = 0; offset < 4 * 4096; offset += 4096)
        {
            Assert.True(KernelPageTables.TryTranslate(end + offset, out Translation t), "heap page mapped");
            Assert.True((t.Flags & PageTableFlags.Writable) != 0 && (t.Flags & PageTableFlags.NoExecute) != 0, "writable, no-execute");
            ulong* words = (ulong*)(end + offset).Value;
            for (int i = 0; i < 512; i++)
                Assert.Equal(0UL, words[i]);
            words[511] = offset;
        }

        // The maximum is a hard stop; running out of frames leaves nothing mapped and no frame taken.
        HeapRegion.SetMaximum(HeapRegion.MappedBytes + 4096);
        Assert.Equal(0UL, HeapRegion.Grow(8192));
        Assert.Equal(4096UL, HeapRegion.Grow(1));
        HeapRegion.SetMaximum(maximumBefore);
        ulong mapped = HeapRegion.MappedBytes;
        PhysicalAddress chain = PhysicalAddress.Zero;
        while (FrameAllocator.Counts.Free > 8 && FrameAllocator.TryAllocate(out PhysicalFrame<Size4KiB> taken))
            chain = Push(chain, taken);
        Assert.Equal(0UL, HeapRegion.Grow(64 * 4096)); // 8 frames left: not enough for 64 pages
        ulong left = FrameAllocator.Counts.Free;
        FreeChain(chain);
        Assert.Equal(8UL, left);
        Assert.Equal(mapped, HeapRegion.MappedBytes);
        Assert.False(KernelPageTables.IsMapped(HeapRegion.Start + mapped), "nothing left mapped past the end");
    }

    [KernelTest(Suite = Suite)]
    public static void AddressSpace_ListsEveryRegion_AndPageZeroStaysUnmapped()
    {
        Assert.False(KernelPageTables.IsMapped(VirtualAddress.Zero), "page 0");
        Assert.True(KernelAddressSpaceRegions.Count >= 7, "kernel sections, window, framebuffer, stacks, heap");
        for (int i = 0; i < KernelAddressSpaceRegions.Count; i++)
        {
            AddressSpaceRegion region = KernelAddressSpaceRegions.Get(i);
            Assert.True(region.Start.IsHigherHalf, region.Name + " is in the higher half");
            if (region.Size == 0)
                continue;
            bool writable = (region.Flags & PageTableFlags.Writable) != 0;
            bool executable = (region.Flags & PageTableFlags.NoExecute) == 0;
            Assert.False(writable && executable, region.Name + " is W^X");
            Assert.True(KernelPageTables.TryTranslate(region.Start, out Translation t), region.Name + " is mapped at its start");
            Assert.Equal((ulong)(region.Flags & (PageTableFlags.Writable | PageTableFlags.NoExecute)), (ulong)(t.Flags & (PageTableFlags.Writable | PageTableFlags.NoExecute)));
        }

        KernelLog.WriteLine(KernelAddressSpaceRegions.Describe());
    }

    /// <summary>Unmapping flushes the TLB: touching the page afterwards faults and the report names it.</summary>
    [KernelTest(ExpectedPanic = "accessed address (CR2) 0xFFFFE00080100000")]
    public static void TouchingAnUnmappedPage_FaultsWithItsAddress()
    {
        Assert.True(FrameAllocator.TryAllocateZeroed(out PhysicalFrame<Size4KiB> frame), "a frame");
        Page<Size4KiB> page = Page<Size4KiB>.FromStart(new VirtualAddress(UnmappedAfterUse));
        Assert.Equal((long)MapResult.Success, (long)KernelPageTables.Map(page, frame, PageTableFlags.Writable | PageTableFlags.NoExecute));
        *(ulong*)UnmappedAfterUse = 1; // now in the TLB
        Assert.Equal((long)MapResult.Success, (long)KernelPageTables.Unmap(page, out _));
        *(ulong*)UnmappedAfterUse = 2;
        Assert.Fail("writing an unmapped page did not fault: a stale TLB entry survived the unmap");
    }

    // Keeps allocated frames in a list threaded through their first word (no heap needed, any number of frames).
    private static PhysicalAddress Push(PhysicalAddress chain, PhysicalFrame<Size4KiB> frame)
    {
        *(ulong*)PhysicalWindow.Pointer(frame.Start) = chain.Value;
        return frame.Start;
    }

    private static void FreeChain(PhysicalAddress chain)
    {
        while (chain != PhysicalAddress.Zero)
        {
            PhysicalAddress next = new(*(ulong*)PhysicalWindow.Pointer(chain));
            FrameAllocator.Free(PhysicalFrame<Size4KiB>.FromStart(chain));
            chain = next;
        }
    }

    private static MemoryRegionKind RegionKindOf(PhysicalAddress address)
    {
        for (ulong i = 0; i < Info->MemoryRegionCount; i++)
        {
            MemoryRegion region = Info->MemoryRegions[i];
            if (address.Value >= region.Start && address.Value < region.End)
                return region.Kind;
        }

        return 0;
    }
}
