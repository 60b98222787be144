// The blog's fixed-size-block allocator over a TLSF fallback: requests up to
// 2048 bytes are rounded up to a power-of-two class (8, 16, ... 2048) and
// served from that class's free list by popping one pointer; larger requests
// go to the fallback. Unlike the blog's version (one fallback allocation per
// block, the size known from the Layout at free time), a class refills by
// taking a whole 16 KiB slab from the fallback and cutting it into blocks:
// free needs only the pointer, because a one-byte page map (one entry per
// 4 KiB page of the region) says which pages belong to which class's slabs.
// Slabs are aligned to a page, not to their size: the fallback cuts them out
// of a free block with at most a page of padding in front, which stays a
// free block of its own (and suits the fallback's 2-4 KiB requests). Blocks
// are aligned to their class size within the page-aligned slab, so an
// alignment up to 2048 is served from the classes too.
//
// When the fallback has no room for a new slab, the request is served by the
// fallback itself (a TLSF block, found again through the page map at free),
// so a full heap is used to its last fitting block instead of failing while
// a smaller free block could still hold the request.
//
// Weakness (as in the blog): memory in a class's list never returns to the
// fallback, so a burst of small allocations keeps its slabs for good; and
// power-of-two rounding wastes a quarter of a block on average (what limits
// the design's heap efficiency, see docs/allocators.md).
using System;
using System.Runtime.CompilerServices;

namespace Shared.Memory.Heap;

public sealed unsafe class FixedSizeBlockHeap
{
    public const int ClassCount = 9;
    public const int SmallestClass = 8;
    public const int LargestClass = 2048;
    public const int SlabSize = 16 << 10;

    /// <summary>The page map's granule (and the slabs' alignment).</summary>
    public const int PageShift = 12;
    public const int PageSize = 1 << PageShift;

    private readonly TlsfHeap _fallback = new();
    private Classes _classes;
    private byte* _pageMap;
    private nuint _pageMapEntries;
    private nuint _firstGranule;

    // Fixed buffers: indexed without bounds checks (the index comes from ClassIndex or the page map).
    private struct Classes
    {
        public fixed ulong Heads[ClassCount];
        public fixed ulong FreeBlocks[ClassCount];
        public fixed ulong Slabs[ClassCount];
    }

    public TlsfHeap Fallback => _fallback;

    public bool IsInitialized => _fallback.IsInitialized;

    public byte* RegionStart => _fallback.RegionStart;

    /// <summary>Takes [start, start + size) as the heap; false when it is too small for the fallback and the page map.</summary>
    /// <remarks>The caller guarantees the region is writable memory that nothing else uses while this heap lives.</remarks>
    public bool Initialize(void* start, nuint size)
    {
        if (IsInitialized || !_fallback.Initialize(start, size))
            return false;
        _firstGranule = (nuint)start >> PageShift;
        return EnsurePageMap();
    }

    /// <summary>The region grew by <paramref name="bytes"/> after its end; false when never initialized.</summary>
    public bool Extend(nuint bytes) => _fallback.Extend(bytes) && EnsurePageMap();

    public void* Allocate(nuint size, nuint alignment)
    {
        nuint need = size > alignment ? size : alignment;
        if (need - 1 >= LargestClass) // also need == 0: the fallback's minimum block
            return _fallback.Allocate(size, alignment);

        int index = ClassOf(need);
        nuint block = (nuint)_classes.Heads[index];
        if (block == 0)
            return Refill(index, size, alignment);
        _classes.Heads[index] = *(ulong*)block;
        _classes.FreeBlocks[index]--;
        return (void*)block;
    }

    /// <summary>Returns a block to its class list or to the fallback. False when the fallback rejects it.</summary>
    /// <remarks>The caller guarantees <paramref name="block"/> came from Allocate of this heap and is live.</remarks>
    public bool Free(void* block)
    {
        int index = SlabClassOf(block);
        if (index < 0)
            return _fallback.Free(block);
        *(ulong*)block = _classes.Heads[index];
        _classes.Heads[index] = (ulong)block;
        _classes.FreeBlocks[index]++;
        return true;
    }

    public nuint UsableSize(void* block)
    {
        int index = SlabClassOf(block);
        return index < 0 ? _fallback.UsableSize(block) : (nuint)SmallestClass << index;
    }

    /// <summary>The class (0 = 8 bytes ... 8 = 2048 bytes) serving <paramref name="size"/> bytes, or -1 for the fallback.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ClassIndex(nuint size)
    {
        if (size > LargestClass)
            return -1;
        return size == 0 ? 0 : ClassOf(size);
    }

    public ulong FreeBlocksInClass(int index) => (uint)index < ClassCount ? _classes.FreeBlocks[index] : 0;

    public ulong SlabsInClass(int index) => (uint)index < ClassCount ? _classes.Slabs[index] : 0;

    public HeapCounters Counters
    {
        get
        {
            HeapCounters fallback = _fallback.Counters;
            ulong largest = fallback.LargestFree;
            ulong classFree = 0;
            for (int i = ClassCount - 1; i >= 0; i--)
            {
                classFree += _classes.FreeBlocks[i] * ((ulong)SmallestClass << i);
                if (_classes.Heads[i] != 0 && largest < ((ulong)SmallestClass << i))
                    largest = (ulong)SmallestClass << i;
            }

            return new HeapCounters(fallback.Size, fallback.Free + classFree, fallback.Overhead, largest);
        }
    }

    public string Validate()
    {
        string fallback = _fallback.Validate();
        if (fallback != null)
            return "fallback: " + fallback;
        for (int i = 0; i < ClassCount; i++)
        {
            ulong count = 0;
            nuint size = (nuint)SmallestClass << i;
            for (nuint block = (nuint)_classes.Heads[i]; block != 0; block = *(nuint*)block)
            {
                if (SlabClassOf((void*)block) != i || (block & (size - 1)) != 0)
                    return "class " + ((ulong)size).ToString() + " list holds a block outside its slabs";
                if (++count > _classes.FreeBlocks[i])
                    return "class " + ((ulong)size).ToString() + " list longer than counted";
            }

            if (count != _classes.FreeBlocks[i])
                return "class " + ((ulong)size).ToString() + " list shorter than counted";
        }

        return null;
    }

    // Takes a slab from the fallback, hands out its first block and lists the rest; with no room for a
    // slab, the fallback serves the request itself.
    private void* Refill(int index, nuint size, nuint alignment)
    {
        byte* slab = (byte*)_fallback.Allocate(SlabSize, PageSize);
        if (slab == null)
            return _fallback.Allocate(size, alignment);
        nuint firstPage = ((nuint)slab >> PageShift) - _firstGranule;
        for (nuint page = 0; page < SlabSize / PageSize; page++)
            _pageMap[firstPage + page] = (byte)(index + 1);
        _classes.Slabs[index]++;
        nuint blockSize = (nuint)SmallestClass << index;
        nuint head = (nuint)_classes.Heads[index];
        for (nuint offset = SlabSize - blockSize; offset >= blockSize; offset -= blockSize)
        {
            *(nuint*)(slab + offset) = head;
            head = (nuint)(slab + offset);
        }

        _classes.Heads[index] = head;
        _classes.FreeBlocks[index] += (SlabSize / blockSize) - 1;
        return slab;
    }

    // The class of a request of 1 to LargestClass bytes (log2 rounded up, less 3: 8 bytes is class 0), looked up
    // per 8 bytes: one load, where a bit scan or a conversion to double costs several steps (and a helper call
    // under QEMU's TCG).
    private static int ClassOf(nuint need) => ClassTable[(int)((need - 1) >> 3)];

    private static ReadOnlySpan<byte> ClassTable => new byte[]
    {
        0, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
        6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
        7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
        7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
        8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
        8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
        8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
        8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
    };

    // The class whose slab holds `block`, or -1 when it is a fallback block.
    private int SlabClassOf(void* block)
    {
        nuint granule = ((nuint)block >> PageShift) - _firstGranule;
        return granule < _pageMapEntries ? _pageMap[granule] - 1 : -1;
    }

    // The page map covers every page the region touches; grown (moved) with the region.
    private bool EnsurePageMap()
    {
        nuint needed = (((nuint)_fallback.RegionEnd - 1) >> PageShift) - _firstGranule + 1;
        if (needed <= _pageMapEntries)
            return true;
        nuint entries = needed + (needed / 2) + 64;
        byte* map = (byte*)_fallback.Allocate(entries, 16);
        if (map == null)
            return false;
        for (nuint i = 0; i < entries; i++)
            map[i] = i < _pageMapEntries ? _pageMap[i] : (byte)0;
        if (_pageMap != null)
            _fallback.Free(_pageMap);
        _pageMap = map;
        _pageMapEntries = entries;
        return true;
    }
}
