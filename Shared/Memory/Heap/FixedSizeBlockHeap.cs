// The blog's fixed-size-block allocator over a TLSF fallback: requests up to
// 2048 bytes are rounded up to a power-of-two class (8, 16, ... 2048) and
// served from that class's free list by popping one pointer; larger requests
// go to the fallback. Unlike the blog's version (one fallback allocation per
// block, the size known from the Layout at free time), a class refills by
// taking a whole 16 KiB slab, aligned to 16 KiB, from the fallback and
// cutting it into blocks: free needs only the pointer, because a one-byte
// page map (one entry per 16 KiB of the region) says which slabs belong to
// which class. Blocks are aligned to their class size, so an alignment up to
// 2048 is served from the classes too.
//
// Weakness (as in the blog): memory in a class's list never returns to the
// fallback, so a burst of small allocations keeps its slabs for good.
namespace Shared.Memory.Heap;

public sealed unsafe class FixedSizeBlockHeap
{
    public const int ClassCount = 9;
    public const int SmallestClass = 8;
    public const int LargestClass = 2048;
    public const int SlabShift = 14;
    public const int SlabSize = 1 << SlabShift;

    private readonly TlsfHeap _fallback = new();
    private readonly nuint[] _heads = new nuint[ClassCount];
    private readonly ulong[] _freeBlocks = new ulong[ClassCount];
    private readonly ulong[] _slabs = new ulong[ClassCount];
    private byte* _pageMap;
    private nuint _pageMapEntries;
    private nuint _firstGranule;
    private nuint _classFreeBytes;

    public TlsfHeap Fallback => _fallback;

    public bool IsInitialized => _fallback.IsInitialized;

    public byte* RegionStart => _fallback.RegionStart;

    /// <summary>Takes [start, start + size) as the heap; false when it is too small for the fallback and the page map.</summary>
    /// <remarks>The caller guarantees the region is writable memory that nothing else uses while this heap lives.</remarks>
    public bool Initialize(void* start, nuint size)
    {
        if (IsInitialized || !_fallback.Initialize(start, size))
            return false;
        _firstGranule = (nuint)start >> SlabShift;
        return EnsurePageMap();
    }

    /// <summary>The region grew by <paramref name="bytes"/> after its end; false when never initialized.</summary>
    public bool Extend(nuint bytes) => _fallback.Extend(bytes) && EnsurePageMap();

    public void* Allocate(nuint size, nuint alignment)
    {
        nuint need = size > alignment ? size : alignment;
        if (need > LargestClass)
            return _fallback.Allocate(size, alignment);

        int index = ClassIndex(need);
        nuint block = _heads[index];
        if (block == 0)
            return Refill(index);
        _heads[index] = *(nuint*)block;
        _freeBlocks[index]--;
        _classFreeBytes -= (nuint)SmallestClass << index;
        return (void*)block;
    }

    /// <summary>Returns a block to its class list or to the fallback. False when the fallback rejects it.</summary>
    /// <remarks>The caller guarantees <paramref name="block"/> came from Allocate of this heap and is live.</remarks>
    public bool Free(void* block)
    {
        int index = ClassOf(block);
        if (index < 0)
            return _fallback.Free(block);
        *(nuint*)block = _heads[index];
        _heads[index] = (nuint)block;
        _freeBlocks[index]++;
        _classFreeBytes += (nuint)SmallestClass << index;
        return true;
    }

    public nuint UsableSize(void* block)
    {
        int index = ClassOf(block);
        return index < 0 ? _fallback.UsableSize(block) : (nuint)SmallestClass << index;
    }

    /// <summary>The class (0 = 8 bytes ... 8 = 2048 bytes) serving <paramref name="size"/> bytes, or -1 for the fallback.</summary>
    public static int ClassIndex(nuint size)
    {
        if (size > LargestClass)
            return -1;
        return size <= SmallestClass ? 0 : HeapBits.HighestSetBit(size - 1) + 1 - 3;
    }

    public ulong FreeBlocksInClass(int index) => _freeBlocks[index];

    public ulong SlabsInClass(int index) => _slabs[index];

    public HeapCounters Counters
    {
        get
        {
            HeapCounters fallback = _fallback.Counters;
            ulong largest = fallback.LargestFree;
            for (int i = ClassCount - 1; i >= 0 && largest < ((ulong)SmallestClass << i); i--)
            {
                if (_heads[i] != 0)
                    largest = (ulong)SmallestClass << i;
            }

            return new HeapCounters(fallback.Size, fallback.Free + _classFreeBytes, fallback.Overhead, largest);
        }
    }

    public string Validate()
    {
        string fallback = _fallback.Validate();
        if (fallback != null)
            return "fallback: " + fallback;
        nuint free = 0;
        for (int i = 0; i < ClassCount; i++)
        {
            ulong count = 0;
            nuint size = (nuint)SmallestClass << i;
            for (nuint block = _heads[i]; block != 0; block = *(nuint*)block)
            {
                if (ClassOf((void*)block) != i || (block & (size - 1)) != 0)
                    return "class " + ((ulong)size).ToString() + " list holds a block outside its slabs";
                if (++count > _freeBlocks[i])
                    return "class " + ((ulong)size).ToString() + " list longer than counted";
                free += size;
            }

            if (count != _freeBlocks[i])
                return "class " + ((ulong)size).ToString() + " list shorter than counted";
        }

        return free == _classFreeBytes ? null : "class free bytes miscounted";
    }

    // Takes a slab from the fallback, hands out its first block and lists the rest.
    private void* Refill(int index)
    {
        byte* slab = (byte*)_fallback.Allocate(SlabSize, SlabSize);
        if (slab == null)
            return null;
        _pageMap[((nuint)slab >> SlabShift) - _firstGranule] = (byte)(index + 1);
        _slabs[index]++;
        nuint size = (nuint)SmallestClass << index;
        nuint head = _heads[index];
        for (nuint offset = SlabSize - size; offset >= size; offset -= size)
        {
            *(nuint*)(slab + offset) = head;
            head = (nuint)(slab + offset);
        }

        nuint listed = (SlabSize / size) - 1;
        _heads[index] = head;
        _freeBlocks[index] += listed;
        _classFreeBytes += listed * size;
        return slab;
    }

    private int ClassOf(void* block)
    {
        nuint granule = ((nuint)block >> SlabShift) - _firstGranule;
        return granule < _pageMapEntries ? _pageMap[granule] - 1 : -1;
    }

    // The page map covers every 16 KiB granule the region touches; grown (moved) with the region.
    private bool EnsurePageMap()
    {
        nuint needed = (((nuint)_fallback.RegionEnd - 1) >> SlabShift) - _firstGranule + 1;
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
