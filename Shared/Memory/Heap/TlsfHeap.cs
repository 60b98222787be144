// Two-level segregated fit (TLSF, Masmano et al. 2004): the general-purpose
// allocator design and the fixed-size-block design's fallback.
//
// Free blocks sit in one of FirstLevelCount x SecondLevelCount lists: the
// first level is the power of two of the size, the second splits that range
// into 16 equal steps. Two bitmaps (one word for the first level, one per
// first-level index for the second) say which lists are non-empty, so finding
// a list whose every block fits is two bit scans: O(1). Every block carries a
// 16-byte header {previous physical block, size | flags}, so a freed block
// merges with both physical neighbours at once (boundary tags), also O(1).
//
//   block:  [prev phys | size|F|P] [payload ......................]
//   free:   [prev phys | size|F|P] [next free | prev free | .......]
//   F = this block is free, P = the previous physical block is free.
//
// The region ends in a zero-size used "sentinel" header, so the last real
// block always has a next block and growing the region turns the sentinel
// into the header of the new free space.
using System.Runtime.CompilerServices;

namespace Shared.Memory.Heap;

public sealed unsafe class TlsfHeap
{
    public const int Alignment = 16;
    public const int HeaderSize = 16;

    /// <summary>Smallest payload: a free block keeps its two list links in it.</summary>
    public const int MinimumPayload = 16;
    public const int MinimumBlock = HeaderSize + MinimumPayload;

    private const int SecondLevelLog2 = 4;
    private const int SecondLevelCount = 1 << SecondLevelLog2;
    private const int FirstLevelShift = SecondLevelLog2 + 4; // log2(Alignment)
    private const nuint SmallBlockSize = (nuint)1 << FirstLevelShift;
    private const int FirstLevelCount = 33; // payloads below 2^40

    /// <summary>Largest request served (1 TiB minus slack): above it the size classes run out.</summary>
    public const ulong MaximumRequest = (1UL << 40) - 4096;

    private const nuint FreeBit = 1;
    private const nuint PreviousFreeBit = 2;
    private const nuint FlagMask = 15;

    private readonly uint[] _secondLevelBitmaps = new uint[FirstLevelCount];
    private readonly Block*[] _heads = new Block*[FirstLevelCount * SecondLevelCount];
    private ulong _firstLevelBitmap;
    private byte* _regionStart;
    private byte* _regionEnd;
    private Block* _first;
    private Block* _sentinel;
    private nuint _free;
    private nuint _used;

    private struct Block
    {
        public Block* PreviousPhysical;
        public nuint SizeAndFlags;
        public Block* NextFree;
        public Block* PreviousFree;
    }

    public bool IsInitialized => _sentinel != null;

    public byte* RegionStart => _regionStart;

    public byte* RegionEnd => _regionEnd;

    /// <summary>
    /// Takes [start, start + size) as the heap. False (and no change) when the region cannot hold one
    /// minimum block, or when the heap was initialized already.
    /// </summary>
    /// <remarks>The caller guarantees the region is writable memory that nothing else uses while this heap lives.</remarks>
    public bool Initialize(void* start, nuint size)
    {
        if (IsInitialized || start == null || (ulong)size > MaximumRequest)
            return false;
        nuint alignedStart = HeapBits.AlignUp((nuint)start, Alignment);
        nuint alignedEnd = HeapBits.AlignDown((nuint)start + size, Alignment);
        if (alignedEnd < alignedStart + MinimumBlock + HeaderSize)
            return false;

        _regionStart = (byte*)start;
        _regionEnd = (byte*)start + size;
        _first = (Block*)alignedStart;
        _first->PreviousPhysical = null;
        _first->SizeAndFlags = (alignedEnd - alignedStart - (2 * HeaderSize)) | FreeBit;
        _sentinel = (Block*)(alignedEnd - HeaderSize);
        _sentinel->PreviousPhysical = _first;
        _sentinel->SizeAndFlags = PreviousFreeBit;
        _free = Footprint(_first);
        Insert(_first);
        return true;
    }

    /// <summary>
    /// The region grew by <paramref name="bytes"/> right after its end. An extension too small for a block is
    /// kept and used once later extensions make it large enough. False when the heap was never initialized.
    /// </summary>
    /// <remarks>The caller guarantees the new bytes are writable memory that nothing else uses.</remarks>
    public bool Extend(nuint bytes)
    {
        if (!IsInitialized)
            return false;
        _regionEnd += bytes;
        nuint newSentinel = HeapBits.AlignDown((nuint)_regionEnd, Alignment) - HeaderSize;
        nuint gained = newSentinel - (nuint)_sentinel;
        if (newSentinel < (nuint)_sentinel || gained < MinimumBlock)
            return true; // kept as overhead until a later extension completes a block

        // The old sentinel becomes the header of the new free space.
        Block* block = _sentinel;
        block->SizeAndFlags = (gained - HeaderSize) | FreeBit | (block->SizeAndFlags & PreviousFreeBit);
        _sentinel = (Block*)newSentinel;
        _sentinel->PreviousPhysical = block;
        _sentinel->SizeAndFlags = PreviousFreeBit;
        _free += Footprint(block);
        if ((block->SizeAndFlags & PreviousFreeBit) != 0)
        {
            Block* previous = block->PreviousPhysical;
            Remove(previous);
            SetSize(previous, SizeOf(previous) + Footprint(block));
            _sentinel->PreviousPhysical = previous;
            block = previous;
        }

        Insert(block);
        return true;
    }

    /// <summary>A block of at least <paramref name="size"/> bytes aligned to <paramref name="alignment"/> (a power of two), or null.</summary>
    public void* Allocate(nuint size, nuint alignment)
    {
        if ((ulong)size > MaximumRequest || !IsInitialized)
            return null;
        nuint adjusted = size <= MinimumPayload ? MinimumPayload : HeapBits.AlignUp(size, Alignment);
        if (alignment <= Alignment)
        {
            Block* fit = TakeFree(adjusted);
            return fit == null ? null : Use(fit, adjusted);
        }

        // Over-allocate so that a gap big enough to be a free block of its own fits in front.
        Block* candidate = TakeFree(adjusted + alignment + MinimumBlock);
        if (candidate == null)
            return null;
        nuint payload = Payload(candidate);
        nuint aligned = HeapBits.AlignUp(payload, alignment);
        if (aligned != payload && aligned - payload < MinimumBlock)
            aligned = HeapBits.AlignUp(payload + MinimumBlock, alignment);
        nuint gap = aligned - payload;
        if (gap == 0)
            return Use(candidate, adjusted);

        // The gap stays free in front (its own previous block is used: free blocks never touch).
        Block* block = (Block*)((byte*)candidate + gap);
        block->PreviousPhysical = candidate;
        block->SizeAndFlags = (SizeOf(candidate) - gap) | FreeBit | PreviousFreeBit;
        Next(block)->PreviousPhysical = block;
        SetSize(candidate, gap - HeaderSize);
        Insert(candidate);
        return Use(block, adjusted);
    }

    /// <summary>Returns a block to the heap, merging it with free neighbours. False if it is not a live block.</summary>
    /// <remarks>The caller guarantees <paramref name="payload"/> came from Allocate of this heap (the check here only catches a second free).</remarks>
    public bool Free(void* payload)
    {
        Block* block = (Block*)((byte*)payload - HeaderSize);
        if ((block->SizeAndFlags & FreeBit) != 0)
            return false;
        nuint footprint = Footprint(block);
        _used -= footprint;
        _free += footprint;
        block->SizeAndFlags |= FreeBit;

        Block* next = Next(block);
        if ((next->SizeAndFlags & FreeBit) != 0)
        {
            Remove(next);
            SetSize(block, SizeOf(block) + Footprint(next));
            next = Next(block);
        }

        if ((block->SizeAndFlags & PreviousFreeBit) != 0)
        {
            Block* previous = block->PreviousPhysical;
            Remove(previous);
            SetSize(previous, SizeOf(previous) + Footprint(block));
            block = previous;
        }

        next->PreviousPhysical = block;
        next->SizeAndFlags |= PreviousFreeBit;
        Insert(block);
        return true;
    }

    /// <summary>Bytes usable at <paramref name="payload"/> (at least what was asked for).</summary>
    public nuint UsableSize(void* payload) => SizeOf((Block*)((byte*)payload - HeaderSize));

    public HeapCounters Counters
    {
        get
        {
            nuint size = (nuint)(_regionEnd - _regionStart);
            return new HeapCounters(size, _free, size - _free - _used, LargestFreePayload());
        }
    }

    /// <summary>Checks every block and list; returns null when consistent, else what is wrong (host tests, heap.debug).</summary>
    public string Validate()
    {
        if (!IsInitialized)
            return "not initialized";
        nuint free = 0, used = 0, freeBlocks = 0;
        Block* previous = null;
        for (Block* block = _first; block != _sentinel; block = Next(block))
        {
            if ((byte*)block < _regionStart || (byte*)block >= (byte*)_sentinel)
                return "physical chain leaves the region";
            if (block->PreviousPhysical != previous)
                return "wrong previous-physical link";
            bool previousFree = previous != null && (previous->SizeAndFlags & FreeBit) != 0;
            if (((block->SizeAndFlags & PreviousFreeBit) != 0) != previousFree)
                return "previous-free flag out of date";
            bool isFree = (block->SizeAndFlags & FreeBit) != 0;
            if (isFree && previousFree)
                return "two adjacent free blocks (missed coalescing)";
            if (SizeOf(block) < MinimumPayload || (SizeOf(block) & (Alignment - 1)) != 0)
                return "bad block size";
            if (isFree)
            {
                free += Footprint(block);
                freeBlocks++;
            }
            else
            {
                used += Footprint(block);
            }

            previous = block;
        }

        if (_sentinel->PreviousPhysical != previous)
            return "sentinel's previous link is wrong";
        if (free != _free)
            return "free bytes counted " + ((ulong)_free).ToString() + ", found " + ((ulong)free).ToString();
        if (used != _used)
            return "used bytes counted " + ((ulong)_used).ToString() + ", found " + ((ulong)used).ToString();

        nuint listed = 0;
        for (int fl = 0; fl < FirstLevelCount; fl++)
        {
            if (((_firstLevelBitmap >> fl) & 1) != (_secondLevelBitmaps[fl] != 0 ? 1UL : 0UL))
                return "first-level bitmap disagrees with the second level";
            for (int sl = 0; sl < SecondLevelCount; sl++)
            {
                Block* head = _heads[(fl * SecondLevelCount) + sl];
                if (((_secondLevelBitmaps[fl] >> sl) & 1) != (head != null ? 1u : 0u))
                    return "second-level bitmap disagrees with the list";
                Block* before = null;
                for (Block* node = head; node != null; node = node->NextFree)
                {
                    if ((node->SizeAndFlags & FreeBit) == 0)
                        return "used block in a free list";
                    Map(SizeOf(node), out int nodeFl, out int nodeSl);
                    if (nodeFl != fl || nodeSl != sl)
                        return "block in the wrong size class";
                    if (node->PreviousFree != before)
                        return "broken free-list back link";
                    before = node;
                    if (++listed > freeBlocks)
                        return "free lists hold more blocks than the region";
                }
            }
        }

        return listed == freeBlocks ? null : "a free block is missing from the lists";
    }

    private void* Use(Block* block, nuint size)
    {
        nuint remaining = SizeOf(block) - size;
        if (remaining >= MinimumBlock)
        {
            Block* rest = (Block*)(Payload(block) + size);
            rest->PreviousPhysical = block;
            rest->SizeAndFlags = (remaining - HeaderSize) | FreeBit;
            Next(rest)->PreviousPhysical = rest;
            SetSize(block, size);
            Insert(rest); // the next block's previous-free flag stays set: rest is free
        }
        else
        {
            Next(block)->SizeAndFlags &= ~PreviousFreeBit;
        }

        block->SizeAndFlags &= ~FreeBit;
        nuint footprint = Footprint(block);
        _free -= footprint;
        _used += footprint;
        return (void*)Payload(block);
    }

    // Removes and returns a free block of at least `size` payload bytes: the first block of the
    // first non-empty list whose every block fits (O(1)); when none exists, a good fit from the
    // list that holds `size` itself, so a nearly full heap still finds an exact fit.
    private Block* TakeFree(nuint size)
    {
        nuint rounded = size;
        if (size >= SmallBlockSize)
            rounded += ((nuint)1 << (HeapBits.HighestSetBit(size) - SecondLevelLog2)) - 1;
        Map(rounded, out int fl, out int sl);
        if (fl < FirstLevelCount)
        {
            uint secondLevel = _secondLevelBitmaps[fl] & (~0u << sl);
            if (secondLevel == 0)
            {
                ulong firstLevel = fl + 1 < 64 ? _firstLevelBitmap & (~0UL << (fl + 1)) : 0;
                if (firstLevel != 0)
                {
                    fl = HeapBits.LowestSetBit(firstLevel);
                    secondLevel = _secondLevelBitmaps[fl];
                }
            }

            if (secondLevel != 0)
            {
                Block* found = _heads[(fl * SecondLevelCount) + HeapBits.LowestSetBit(secondLevel)];
                Remove(found);
                return found;
            }
        }

        Map(size, out fl, out sl);
        if (fl >= FirstLevelCount)
            return null;
        for (Block* node = _heads[(fl * SecondLevelCount) + sl]; node != null; node = node->NextFree)
        {
            if (SizeOf(node) >= size)
            {
                Remove(node);
                return node;
            }
        }

        return null;
    }

    private nuint LargestFreePayload()
    {
        if (_firstLevelBitmap == 0)
            return 0;
        int fl = HeapBits.HighestSetBit(_firstLevelBitmap);
        int sl = HeapBits.HighestSetBit(_secondLevelBitmaps[fl]);
        nuint largest = 0;
        for (Block* node = _heads[(fl * SecondLevelCount) + sl]; node != null; node = node->NextFree)
        {
            if (SizeOf(node) > largest)
                largest = SizeOf(node);
        }

        return largest;
    }

    private static void Map(nuint size, out int fl, out int sl)
    {
        if (size < SmallBlockSize)
        {
            fl = 0;
            sl = (int)(size / Alignment);
            return;
        }

        int top = HeapBits.HighestSetBit(size);
        sl = (int)(size >> (top - SecondLevelLog2)) ^ SecondLevelCount;
        fl = top - (FirstLevelShift - 1);
    }

    private void Insert(Block* block)
    {
        Map(SizeOf(block), out int fl, out int sl);
        int index = (fl * SecondLevelCount) + sl;
        Block* head = _heads[index];
        block->NextFree = head;
        block->PreviousFree = null;
        if (head != null)
            head->PreviousFree = block;
        _heads[index] = block;
        _firstLevelBitmap |= 1UL << fl;
        _secondLevelBitmaps[fl] |= 1u << sl;
    }

    private void Remove(Block* block)
    {
        Map(SizeOf(block), out int fl, out int sl);
        int index = (fl * SecondLevelCount) + sl;
        if (block->PreviousFree != null)
            block->PreviousFree->NextFree = block->NextFree;
        else
            _heads[index] = block->NextFree;
        if (block->NextFree != null)
            block->NextFree->PreviousFree = block->PreviousFree;
        if (_heads[index] == null)
        {
            _secondLevelBitmaps[fl] &= ~(1u << sl);
            if (_secondLevelBitmaps[fl] == 0)
                _firstLevelBitmap &= ~(1UL << fl);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nuint SizeOf(Block* block) => block->SizeAndFlags & ~FlagMask;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SetSize(Block* block, nuint size) => block->SizeAndFlags = size | (block->SizeAndFlags & FlagMask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nuint Footprint(Block* block) => SizeOf(block) + HeaderSize;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nuint Payload(Block* block) => (nuint)block + HeaderSize;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Block* Next(Block* block) => (Block*)(Payload(block) + SizeOf(block));
}
