// The allocator designs' edge cases: the linked_list_allocator advisory's
// cases and blog_os #796 (alignment padding), out of memory and extension for
// every design, TLSF's O(1) classes and coalescing, fixed-size-block classes,
// bump's reset, and the live-block bitmap the kernel heap builds on.
using Shared.Boot;
using Shared.Memory.Heap;
using Xunit;

namespace Host.Tests.Memory.Heap;

public sealed unsafe class HeapDesignTests
{
    public static TheoryData<AllocatorKind> Designs => new() { AllocatorKind.Bump, AllocatorKind.LinkedList, AllocatorKind.FixedSizeBlock, AllocatorKind.Tlsf };

    [Fact]
    public void LinkedList_RegionTooSmallForANode_IsRefused()
    {
        using var region = new HostRegion(4096);
        var heap = new LinkedListHeap();
        Assert.False(heap.Initialize(region.Start + 3, 20)); // 16-aligned part holds no node + header
        Assert.False(heap.IsInitialized);
        Assert.True(heap.Initialize(region.Start, 64));
        Assert.False(heap.Initialize(region.Start, 64)); // twice
    }

    [Fact]
    public void LinkedList_ExtendingAnUninitializedHeap_IsRefused()
    {
        Assert.False(new LinkedListHeap().Extend(4096));
        Assert.False(new TlsfHeap().Extend(4096));
        Assert.False(new BumpHeap().Extend(4096));
        Assert.False(new FixedSizeBlockHeap().Extend(4096));
    }

    [Fact]
    public void LinkedList_ExtensionSmallerThanANode_IsKeptAndMergedLater()
    {
        using var region = new HostRegion(4096);
        var heap = new LinkedListHeap();
        Assert.True(heap.Initialize(region.Start, 1024));
        ulong free = heap.Counters.Free;
        Assert.True(heap.Extend(8));
        Assert.Equal(free, heap.Counters.Free);
        Assert.Equal(8UL, heap.Counters.Overhead);
        Assert.True(heap.Extend(8));
        Assert.Equal(free + 16, heap.Counters.Free);
        Assert.Equal(0UL, heap.Counters.Overhead);
        Assert.Null(heap.Validate());
        Assert.True(heap.Counters.LargestFree >= 1024 - 16, "the extension merged with the region before it");
    }

    [Fact]
    public void LinkedList_SizesNotAMultipleOfTheNode_AreRoundedSafely()
    {
        using var region = new HostRegion(8192);
        var heap = new LinkedListHeap();
        Assert.True(heap.Initialize(region.Start + 5, 1000)); // odd start and end
        var blocks = new List<nuint>();
        for (nuint size = 1; ; size += 7)
        {
            void* block = heap.Allocate(size, 1);
            if (block == null)
                break;
            Assert.True((nuint)block + size <= (nuint)region.Start + 5 + 1000, "a block runs past the region's end");
            Assert.True((nuint)block >= (nuint)region.Start + 5);
            blocks.Add((nuint)block);
        }

        Assert.NotEmpty(blocks);
        Assert.Null(heap.Validate());
        foreach (nuint block in blocks)
            Assert.True(heap.Free((void*)block));
        Assert.Null(heap.Validate());
        Assert.Equal(heap.Counters.Size - heap.Counters.Overhead, heap.Counters.Free);
    }

    [Fact]
    public void LinkedList_AlignmentPadding_GoesBackOnTheList()
    {
        using var region = new HostRegion(1 << 16);
        var heap = new LinkedListHeap();
        Assert.True(heap.Initialize(region.Start + 16, 1 << 15));
        ulong free = heap.Counters.Free;
        void* block = heap.Allocate(100, 4096);
        Assert.Equal(0UL, (ulong)block % 4096);
        ulong footprint = (ulong)heap.UsableSize(block) + LinkedListHeap.HeaderSize;
        Assert.Equal(free - footprint, heap.Counters.Free); // the ~4 KiB of padding is still free
        void* small = heap.Allocate(64, 16);
        Assert.True((nuint)small < (nuint)block, "the padding in front of the aligned block serves the next request");
        Assert.True(heap.Free(block));
        Assert.True(heap.Free(small));
        Assert.Equal(free, heap.Counters.Free);
        Assert.Null(heap.Validate());
    }

    [Theory]
    [MemberData(nameof(Designs))]
    public void OutOfMemory_ReturnsNull_AndExtensionServesTheNextRequest(AllocatorKind kind)
    {
        // Aligned like the kernel's heap region (HeapRegion starts on a 2 MiB boundary), so the fixed-size
        // design's 16 KiB-aligned slabs fall the same way in every run.
        using var region = new HostRegion(1 << 20, 1 << 21);
        var heap = new HeapEngine(kind);
        Assert.True(heap.Initialize(region.Start, 128 << 10));
        int count = 0;
        while (heap.Allocate(1000, 8) != null)
            count++;
        Assert.True(count > 40, $"only {count} blocks of 1000 bytes in 128 KiB");
        Assert.True(heap.Allocate(100_000, 8) == null);
        Assert.Null(heap.Validate());

        Assert.True(heap.Extend(256 << 10));
        void* large = heap.Allocate(100_000, 8);
        Assert.True(large != null, "the extension was not used"); // 100,000 bytes did not fit before it
        Assert.Null(heap.Validate());
    }

    [Theory]
    [MemberData(nameof(Designs))]
    public void UsableSize_CoversTheRequest_AndAlignmentIsHonoured(AllocatorKind kind)
    {
        using var region = new HostRegion(4 << 20);
        var heap = new HeapEngine(kind);
        Assert.True(heap.Initialize(region.Start, 4 << 20));
        foreach (nuint alignment in new nuint[] { 1, 8, 16, 64, 256, 4096, 65536 })
        {
            foreach (nuint size in new nuint[] { 1, 8, 24, 100, 2048, 2049, 10_000 })
            {
                void* block = heap.Allocate(size, alignment);
                Assert.True(block != null);
                Assert.Equal((nuint)0, (nuint)block % (alignment < 8 ? 8 : alignment));
                Assert.True(heap.UsableSize(block) >= size);
            }
        }

        Assert.Null(heap.Validate());
    }

    [Fact]
    public void Tlsf_FreeCoalescesWithBothNeighbours()
    {
        using var region = new HostRegion(1 << 16);
        var heap = new TlsfHeap();
        Assert.True(heap.Initialize(region.Start, 1 << 16));
        ulong free = heap.Counters.Free;
        void* a = heap.Allocate(1000, 16);
        void* b = heap.Allocate(1000, 16);
        void* c = heap.Allocate(1000, 16);
        void* guard = heap.Allocate(16, 16);
        Assert.True(heap.Free(a));
        Assert.True(heap.Free(c));
        Assert.True(heap.Free(b)); // merges with a before and c after
        Assert.Null(heap.Validate());
        Assert.True(heap.Free(guard));
        Assert.Equal(free, heap.Counters.Free);
        Assert.Equal(free - TlsfHeap.HeaderSize, heap.Counters.LargestFree);
        Assert.False(heap.Free(guard)); // a second free is noticed
    }

    [Fact]
    public void TlsfFrontCache_ServesTheSameSizeAgain_AndRefusesASecondFree()
    {
        using var region = new HostRegion(1 << 16);
        var heap = new TlsfHeap(frontCache: true);
        Assert.True(heap.Initialize(region.Start, 1 << 16));
        ulong free = heap.Counters.Free;
        void* a = heap.Allocate(100, 8);
        void* guard = heap.Allocate(16, 8);
        Assert.True(heap.Free(a));
        Assert.Equal(1, heap.CachedBlocks);
        Assert.False(heap.Free(a)); // a cached block is not live: a second free is noticed
        Assert.Equal(free - (ulong)(heap.UsableSize(guard) + TlsfHeap.HeaderSize), heap.Counters.Free); // cached bytes count as free
        Assert.Equal((nuint)a, (nuint)heap.Allocate(112, 8)); // same 16-byte size class: the cached block
        Assert.Equal(0, heap.CachedBlocks);
        Assert.NotEqual((nuint)a, (nuint)heap.Allocate(100, 8));
        Assert.Null(heap.Validate());
    }

    [Fact]
    public void TlsfFrontCache_HoldsAtMostItsDepth_AndIsReturnedWhenNothingElseFits()
    {
        using var region = new HostRegion(1 << 16);
        var heap = new TlsfHeap(frontCache: true);
        Assert.True(heap.Initialize(region.Start, 1 << 16));
        var blocks = new List<nuint>();
        for (void* block; (block = heap.Allocate(64, 8)) != null;)
            blocks.Add((nuint)block);
        foreach (nuint block in blocks)
            Assert.True(heap.Free((void*)block));
        Assert.Equal(TlsfHeap.CacheDepth, heap.CachedBlocks);
        Assert.Null(heap.Validate());

        // Only merging the cached blocks back makes a block this large: the cache must give them up.
        ulong largest = heap.Counters.Size - heap.Counters.Overhead - TlsfHeap.HeaderSize;
        void* all = heap.Allocate((nuint)largest, 16);
        Assert.True(all != null, "the front cache kept memory a request needed");
        Assert.Equal(0, heap.CachedBlocks);
        Assert.Equal(0UL, heap.Counters.Free);
        Assert.True(heap.Free(all));
        Assert.Null(heap.Validate());
    }

    [Fact]
    public void Tlsf_NearlyFullHeap_FindsAnExactFitInTheRoundedUpClass()
    {
        using var region = new HostRegion(1 << 16);
        var heap = new TlsfHeap();
        Assert.True(heap.Initialize(region.Start, 8192));
        ulong largest = heap.Counters.LargestFree;
        void* all = heap.Allocate((nuint)largest, 16); // the search rounds up; the good-fit pass still finds it
        Assert.True(all != null);
        Assert.Equal(0UL, heap.Counters.Free);
    }

    [Fact]
    public void FixedSizeBlock_ClassesArePowersOfTwoFrom8To2048()
    {
        Assert.Equal(0, FixedSizeBlockHeap.ClassIndex(1));
        Assert.Equal(0, FixedSizeBlockHeap.ClassIndex(8));
        Assert.Equal(1, FixedSizeBlockHeap.ClassIndex(9));
        Assert.Equal(4, FixedSizeBlockHeap.ClassIndex(128));
        Assert.Equal(8, FixedSizeBlockHeap.ClassIndex(2048));
        Assert.Equal(-1, FixedSizeBlockHeap.ClassIndex(2049));

        using var region = new HostRegion(1 << 20);
        var heap = new FixedSizeBlockHeap();
        Assert.True(heap.Initialize(region.Start, 1 << 20));
        void* small = heap.Allocate(24, 8);
        Assert.Equal((nuint)32, heap.UsableSize(small));
        Assert.Equal(1UL, heap.SlabsInClass(2));
        void* again = heap.Allocate(30, 8);
        Assert.Equal((nuint)small + 32, (nuint)again); // the next block of the same slab
        heap.Free(again);
        Assert.Equal((nuint)again, (nuint)heap.Allocate(17, 8)); // a free block is reused first
        void* large = heap.Allocate(5000, 8);
        Assert.True(heap.UsableSize(large) >= 5000);
        Assert.True(heap.Fallback.UsableSize(large) >= 5000, "large requests go to the TLSF fallback");
        Assert.Null(heap.Validate());
    }

    [Fact]
    public void FixedSizeBlock_WithNoRoomForASlab_TheFallbackServesTheRequest()
    {
        using var region = new HostRegion(1 << 16);
        var heap = new FixedSizeBlockHeap();
        Assert.True(heap.Initialize(region.Start, 1 << 16));
        // Large blocks until less than a slab (plus its page of padding) is left, but more than a small block.
        var large = new List<nuint>();
        while (heap.Fallback.Counters.LargestFree >= FixedSizeBlockHeap.SlabSize + FixedSizeBlockHeap.PageSize + 64)
            large.Add((nuint)heap.Allocate(4000, 8));
        Assert.True(heap.Fallback.Counters.LargestFree >= 200);

        void* small = heap.Allocate(200, 8);
        Assert.True(small != null, "a small request failed while the fallback had room for it");
        Assert.Equal(0UL, heap.SlabsInClass(FixedSizeBlockHeap.ClassIndex(200)));
        Assert.True(heap.Fallback.UsableSize(small) >= 200, "served by the fallback");
        Assert.True(heap.Free(small));
        foreach (nuint block in large)
            Assert.True(heap.Free((void*)block));
        Assert.Null(heap.Validate());
        // Only the page map (one byte per 4 KiB page, with room to grow) is left in the fallback.
        Assert.True(heap.Fallback.Counters.Used is > 0 and < 256, $"fallback still holds {heap.Fallback.Counters.Used} bytes");
    }

    [Fact]
    public void Bump_ReclaimsOnlyWhenEverythingIsFreed()
    {
        using var region = new HostRegion(1 << 16);
        var heap = new BumpHeap();
        Assert.True(heap.Initialize(region.Start, 1 << 16));
        ulong free = heap.Counters.Free;
        void* a = heap.Allocate(100, 8);
        void* b = heap.Allocate(100, 8);
        Assert.True(heap.Free(a));
        Assert.True(heap.Counters.Free < free);
        Assert.False(heap.Free(a)); // second free noticed
        Assert.True(heap.Free(b));
        Assert.Equal(free, heap.Counters.Free);
        Assert.Equal((nuint)a, (nuint)heap.Allocate(100, 8));
    }

    [Fact]
    public void LiveBlockMap_FindsBlockStartsBackwardsAndForwards()
    {
        using var region = new HostRegion(1 << 16);
        nuint heapBase = 0x1000_0000;
        var map = new LiveBlockMap((ulong*)region.Start, heapBase, 1 << 20);
        Assert.True(map.Set(heapBase + 0x100));
        Assert.True(map.Set(heapBase + 0x8000));
        Assert.False(map.Set(heapBase + 0x100)); // already live
        Assert.False(map.Set(heapBase + 0x101)); // not a granule start
        Assert.False(map.Set(heapBase - 8)); // outside

        Assert.True(map.FindAtOrBefore(heapBase + 0x7FFF, heapBase, out nuint start));
        Assert.Equal(heapBase + 0x100, start);
        Assert.True(map.FindAtOrBefore(heapBase + 0x8000, heapBase, out start));
        Assert.Equal(heapBase + 0x8000, start);
        Assert.False(map.FindAtOrBefore(heapBase + 0xFF, heapBase, out _));

        Assert.True(map.FindAtOrAfter(heapBase, out start));
        Assert.Equal(heapBase + 0x100, start);
        Assert.True(map.FindAtOrAfter(heapBase + 0x108, out start));
        Assert.Equal(heapBase + 0x8000, start);
        Assert.False(map.FindAtOrAfter(heapBase + 0x8008, out _));

        Assert.True(map.Clear(heapBase + 0x100));
        Assert.False(map.Clear(heapBase + 0x100)); // second free
        Assert.True(map.FindAtOrBefore(heapBase + 0x7FFF, heapBase, out _) == false);
    }

    [Fact]
    public void HeapBits_ScansMatchTheReference()
    {
        var random = new Random(7);
        for (int i = 0; i < 100_000; i++)
        {
            ulong value = ((ulong)random.NextInt64() << 1 | 1) >> random.Next(64);
            value = value == 0 ? 1 : value;
            Assert.Equal(System.Numerics.BitOperations.TrailingZeroCount(value), HeapBits.LowestSetBit(value));
            Assert.Equal(63 - System.Numerics.BitOperations.LeadingZeroCount(value), HeapBits.HighestSetBit(value));
            ulong shifted = value << random.Next(64);
            if (shifted != 0)
                Assert.Equal(System.Numerics.BitOperations.TrailingZeroCount(shifted), HeapBits.LowestSetBit(shifted));
        }
    }
}
