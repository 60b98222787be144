// Seeded random allocate/free/realloc sequences of 1,000,000 operations per
// allocator design, with the invariants checked as they run:
//   - after every step: the block is aligned as asked, lies inside the region,
//     overlaps no live block (a shadow map of owned bytes), has at least the
//     usable size asked for; a freed or moved block still holds the bytes
//     written into it; Size == Used + Free + Overhead;
//   - every 64 steps and at the end: the design's own walk of its structures
//     (Validate) agrees with its counters, so free bytes are accounted exactly;
//   - at the end, with everything freed: all memory is back (one free block
//     spanning the region for TLSF, once its front cache is trimmed, and for
//     linked list; the start state for bump;
//     every slab block back in its class list for fixed-size block).
// The region also grows during the run (random extensions, some smaller than
// a node), as the kernel heap's does.
using Shared.Boot;
using Shared.Memory.Heap;
using Xunit;

namespace Host.Tests.Memory.Heap;

public sealed unsafe class HeapStressTests
{
    private const int Operations = 1_000_000;
    private const int MaxLive = 400;

    [Theory]
    [InlineData(AllocatorKind.Tlsf, 1)]
    [InlineData(AllocatorKind.FixedSizeBlock, 2)]
    [InlineData(AllocatorKind.LinkedList, 3)]
    [InlineData(AllocatorKind.Bump, 4)]
    [InlineData(AllocatorKind.Tlsf, 5, false)]
    public void RandomSequence_KeepsEveryInvariant(AllocatorKind kind, int seed, bool tlsfFrontCache = true)
    {
        using var region = new HostRegion(16u << 20);
        var heap = new HeapEngine(kind, tlsfFrontCache);
        nuint mapped = 512u << 10;
        Assert.True(heap.Initialize(region.Start, mapped));
        HeapCounters initial = heap.Counters;

        var random = new Random(seed);
        var shadow = new byte[region.Capacity];
        var live = new List<Live>();
        byte tag = 1;
        int extensions = 0, failures = 0, reallocs = 0;

        for (int step = 0; step < Operations; step++)
        {
            int action = random.Next(100);
            if (live.Count > 0 && (action < 40 || live.Count >= MaxLive))
            {
                int index = random.Next(live.Count);
                FreeChecked(heap, region, shadow, live[index]);
                live[index] = live[^1];
                live.RemoveAt(live.Count - 1);
            }
            else if (live.Count > 0 && action < 50)
            {
                int index = random.Next(live.Count);
                Live old = live[index];
                nuint size = RandomSize(random);
                void* moved = heap.Allocate(size, old.Alignment);
                if (moved != null)
                {
                    // Realloc as NativeMemory does it: new block, copy what fits, free the old.
                    var block = Claim(heap, region, shadow, moved, size, old.Alignment, tag);
                    nuint common = size < old.Size ? size : old.Size;
                    new Span<byte>(old.Pointer, (int)common).CopyTo(new Span<byte>(moved, (int)common));
                    FreeChecked(heap, region, shadow, old);
                    Assert.True(new Span<byte>(moved, (int)common).IndexOfAnyExcept(old.Tag) < 0, "realloc lost the contents");
                    new Span<byte>(moved, (int)size).Fill(tag);
                    live[index] = new Live(block.Pointer, block.Size, block.Alignment, tag);
                    tag = (byte)(tag == 255 ? 1 : tag + 1);
                    reallocs++;
                }
            }
            else
            {
                nuint size = RandomSize(random);
                nuint alignment = random.Next(10) == 0 ? (nuint)1 << random.Next(3, 13) : 8;
                void* block = heap.Allocate(size, alignment);
                if (block == null)
                {
                    failures++;
                    if (mapped < region.Capacity)
                    {
                        // Grow like the kernel heap: sometimes by less than a node, usually by 64 KiB or more.
                        nuint grow = random.Next(4) == 0 ? (nuint)random.Next(1, 24) : (nuint)random.Next(64 << 10, 512 << 10);
                        if (grow > region.Capacity - mapped)
                            grow = region.Capacity - mapped;
                        Assert.True(heap.Extend(grow));
                        mapped += grow;
                        extensions++;
                    }
                    else if (kind == AllocatorKind.Bump || live.Count > 0)
                    {
                        // Out of room: free everything (bump reclaims only then) and carry on.
                        foreach (Live each in live)
                            FreeChecked(heap, region, shadow, each);
                        live.Clear();
                    }

                    continue;
                }

                Live added = Claim(heap, region, shadow, block, size, alignment, tag);
                new Span<byte>(block, (int)size).Fill(tag);
                live.Add(added);
                tag = (byte)(tag == 255 ? 1 : tag + 1);
            }

            HeapCounters counters = heap.Counters;
            Assert.Equal((ulong)mapped, counters.Size);
            Assert.True(counters.Free + counters.Overhead <= counters.Size, "free and overhead exceed the region");
            if ((step & 63) == 0)
                Assert.Null(heap.Validate());
        }

        foreach (Live each in live)
            FreeChecked(heap, region, shadow, each);
        Assert.Null(heap.Validate());
        Assert.True(extensions > 0, "the run never grew the region");
        Assert.True(failures > 0 || kind != AllocatorKind.Bump, "bump never ran out");
        Assert.True(reallocs > 10_000, "too few reallocations");
        AssertAllReclaimed(heap, kind, initial, mapped);
    }

    // Mostly small (objects), some medium, a few large, as a kernel's mix.
    private static nuint RandomSize(Random random)
    {
        int kind = random.Next(100);
        if (kind < 60)
            return (nuint)random.Next(1, 129);
        if (kind < 95)
            return (nuint)random.Next(129, 4097);
        return (nuint)random.Next(4097, 64 << 10);
    }

    private static Live Claim(HeapEngine heap, HostRegion region, byte[] shadow, void* block, nuint size, nuint alignment, byte tag)
    {
        nuint address = (nuint)block;
        Assert.True(alignment <= 16 ? address % 8 == 0 : address % alignment == 0, $"block 0x{address:X} not aligned to {alignment}");
        Assert.True(address >= (nuint)region.Start && address + size <= (nuint)region.Start + region.Capacity, "block outside the region");
        Assert.True(heap.UsableSize(block) >= size, "usable size smaller than the request");
        var owned = shadow.AsSpan((int)(address - (nuint)region.Start), (int)size);
        Assert.True(owned.IndexOfAnyExcept((byte)0) < 0, $"block 0x{address:X} ({size} bytes) overlaps a live block");
        owned.Fill(1);
        return new Live((byte*)block, size, alignment, tag);
    }

    private static void FreeChecked(HeapEngine heap, HostRegion region, byte[] shadow, Live block)
    {
        Assert.True(new Span<byte>(block.Pointer, (int)block.Size).IndexOfAnyExcept(block.Tag) < 0, "a live block's contents changed");
        shadow.AsSpan((int)((nuint)block.Pointer - (nuint)region.Start), (int)block.Size).Fill(0);
        Assert.True(heap.Free(block.Pointer), "the design rejected a live block");
    }

    private static void AssertAllReclaimed(HeapEngine heap, AllocatorKind kind, HeapCounters initial, nuint mapped)
    {
        HeapCounters counters = heap.Counters;
        switch (kind)
        {
            case AllocatorKind.Tlsf:
            case AllocatorKind.LinkedList:
                // Cached blocks (TLSF's front cache) already count as free; once returned to the lists,
                // one free block spans everything: coalescing is complete and nothing leaked.
                Assert.Equal(counters.Size - counters.Overhead, counters.Free);
                heap.Trim();
                Assert.Null(heap.Validate());
                counters = heap.Counters;
                Assert.True(counters.Overhead < 64, $"overhead {counters.Overhead}");
                Assert.Equal(counters.Size - counters.Overhead, counters.Free);
                Assert.True(counters.LargestFree + 64 >= counters.Free, $"largest free {counters.LargestFree} of {counters.Free}: not one block");
                break;
            case AllocatorKind.Bump:
                Assert.Equal(0UL, counters.Used);
                break;
            default:
                // Slabs stay with their classes, but every block of every slab is back on its list.
                FixedSizeBlockHeap blocks = heap.FixedSizeBlock;
                for (int i = 0; i < FixedSizeBlockHeap.ClassCount; i++)
                {
                    ulong perSlab = FixedSizeBlockHeap.SlabSize / (8UL << i);
                    Assert.Equal(blocks.SlabsInClass(i) * perSlab, blocks.FreeBlocksInClass(i));
                }

                Assert.Null(blocks.Fallback.Validate());
                break;
        }

        Assert.True(counters.Size == (ulong)mapped && initial.Size < counters.Size);
    }

    private readonly struct Live
    {
        public Live(byte* pointer, nuint size, nuint alignment, byte tag)
        {
            Pointer = pointer;
            Size = size;
            Alignment = alignment;
            Tag = tag;
        }

        public byte* Pointer { get; }

        public nuint Size { get; }

        public nuint Alignment { get; }

        public byte Tag { get; }
    }
}
