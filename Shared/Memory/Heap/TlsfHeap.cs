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
//   block:  [prev phys | size|C|F|P] [payload ......................]
//   free:   [prev phys | size|C|F|P] [next free | prev free | .......]
//   F = this block is free, P = the previous physical block is free,
//   C = the block waits in the front cache (see below).
//
// The region ends in a zero-size used "sentinel" header, so the last real
// block always has a next block and growing the region turns the sentinel
// into the header of the new free space.
//
// Fast paths. The list heads and bitmaps are fixed buffers inside the object
// (no array bounds checks); the free and used byte counts are one counter;
// and a split or merge that leaves a block in the same size class as the
// block it came from takes that block's place in its list instead of an
// unlink plus an insert (no bitmap work, no size-class computation). That is
// the common case when a small block is cut from, or merged back into, a
// large free block.
//
// Front cache (optional, on for `allocator = tlsf`, off in the fixed-size
// block design's fallback, which never sees small requests): a freed block
// with a payload of at most 256 bytes goes onto a per-size LIFO list (one
// list per 16-byte size, at most CacheDepth blocks each) instead of being
// merged, and the next request of exactly that size takes it back: the same
// idea as glibc's tcache. Cached blocks stay "used" in the physical chain
// (flag C marks them, so a second free is still caught); both operations are
// O(1), and at most 16 x CacheDepth blocks (about 19 KiB) are held. When a
// request cannot be served, the cache is returned to the lists (merging as
// usual) and the search is repeated, so the cache never makes an allocation
// fail; Trim does the same on demand. Counters count cached bytes as free.
using System.Runtime.CompilerServices;

namespace Shared.Memory.Heap;

public sealed unsafe class TlsfHeap
{
    public const int Alignment = 16;
    public const int HeaderSize = 16;

    /// <summary>Smallest payload: a free block keeps its two list links in it.</summary>
    public const int MinimumPayload = 16;
    public const int MinimumBlock = HeaderSize + MinimumPayload;

    /// <summary>Largest payload the front cache keeps (one list per 16-byte size up to it).</summary>
    public const int LargestCached = 256;

    /// <summary>Blocks each front-cache list holds at most.</summary>
    public const int CacheDepth = 8;

    private const int CacheBins = LargestCached / Alignment;
    private const int SecondLevelLog2 = 4;
    private const int SecondLevelCount = 1 << SecondLevelLog2;
    private const int FirstLevelShift = SecondLevelLog2 + 4; // log2(Alignment)
    private const nuint SmallBlockSize = (nuint)1 << FirstLevelShift;
    private const int FirstLevelCount = 33; // payloads below 2^40
    private const int ListCount = FirstLevelCount * SecondLevelCount;

    /// <summary>Largest request served (1 TiB minus slack): above it the size classes run out.</summary>
    public const ulong MaximumRequest = (1UL << 40) - 4096;

    private const nuint FreeBit = 1;
    private const nuint PreviousFreeBit = 2;
    private const nuint CachedBit = 4;
    private const nuint FlagMask = 15;

    private readonly int _cacheDepth;
    private Lists _lists;
    private ulong _firstLevelBitmap;
    private byte* _regionStart;
    private byte* _regionEnd;
    private Block* _first;
    private Block* _sentinel;
    private nuint _used;      // footprints of blocks that are not free (live and cached)
    private nuint _overhead;  // bytes of the region in no block: alignment, sentinel, too-small extensions
    private nuint _cached;    // footprints of cached blocks
    private int _cachedBlocks;

    private struct Block
    {
        public Block* PreviousPhysical;
        public nuint SizeAndFlags;
        public Block* NextFree;
        public Block* PreviousFree;
    }

    // Fixed buffers: indexed without bounds checks (the indices come from the bitmaps and size classes).
    private struct Lists
    {
        public fixed ulong Heads[ListCount];
        public fixed uint SecondLevel[FirstLevelCount];
        public fixed ulong CacheHeads[CacheBins];
        public fixed int CacheCounts[CacheBins];
    }

    /// <summary>A TLSF heap; <paramref name="frontCache"/> turns on the small-block front cache described above.</summary>
    public TlsfHeap(bool frontCache = false) => _cacheDepth = frontCache ? CacheDepth : 0;

    public bool IsInitialized => _sentinel != null;

    public bool HasFrontCache => _cacheDepth != 0;

    public byte* RegionStart => _regionStart;

    public byte* RegionEnd => _regionEnd;

    /// <summary>Blocks waiting in the front cache.</summary>
    public int CachedBlocks => _cachedBlocks;

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
        _overhead = size - Footprint(_first);
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
        _overhead += bytes;
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
        _overhead -= Footprint(block);
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
        if (size <= LargestCached && alignment <= Alignment)
        {
            nuint adjusted = size <= MinimumPayload ? MinimumPayload : (size + (Alignment - 1)) & ~(nuint)(Alignment - 1);
            int bin = (int)(adjusted / Alignment) - 1;
            nuint cached = (nuint)_lists.CacheHeads[bin];
            if (cached != 0)
            {
                _lists.CacheHeads[bin] = *(ulong*)cached;
                _lists.CacheCounts[bin]--;
                _cachedBlocks--;
                _cached -= adjusted + HeaderSize;
                ((Block*)(cached - HeaderSize))->SizeAndFlags &= ~CachedBit; // keeps P: the previous block may be free
                return (void*)cached;
            }

            // Lists below 256 bytes hold one size each, so the list of `adjusted` itself is the first that fits.
            uint secondLevel = _lists.SecondLevel[0] & (~0u << (int)(adjusted / Alignment));
            if (secondLevel != 0)
                return TakeAndUse(0, HeapBits.LowestSetBit(secondLevel), adjusted);
            ulong firstLevel = _firstLevelBitmap & ~1UL;
            if (firstLevel != 0)
            {
                int fl = HeapBits.LowestSetBit(firstLevel);
                return TakeAndUse(fl, HeapBits.LowestSetBit(_lists.SecondLevel[fl]), adjusted);
            }
        }

        return AllocateSlow(size, alignment);
    }

    /// <summary>Returns a block to the heap, merging it with free neighbours. False if it is not a live block.</summary>
    /// <remarks>The caller guarantees <paramref name="payload"/> came from Allocate of this heap (the check here only catches a second free).</remarks>
    public bool Free(void* payload)
    {
        Block* block = (Block*)((byte*)payload - HeaderSize);
        nuint sizeAndFlags = block->SizeAndFlags;
        if ((sizeAndFlags & (FreeBit | CachedBit)) != 0)
            return false;
        if (sizeAndFlags <= LargestCached + PreviousFreeBit)
        {
            int bin = (int)(sizeAndFlags / Alignment) - 1;
            if (_lists.CacheCounts[bin] < _cacheDepth)
            {
                *(ulong*)payload = _lists.CacheHeads[bin];
                _lists.CacheHeads[bin] = (ulong)payload;
                _lists.CacheCounts[bin]++;
                _cachedBlocks++;
                _cached += (sizeAndFlags & ~FlagMask) + HeaderSize;
                block->SizeAndFlags = sizeAndFlags | CachedBit;
                return true;
            }
        }

        Release(block, sizeAndFlags);
        return true;
    }

    /// <summary>Bytes usable at <paramref name="payload"/> (at least what was asked for).</summary>
    public nuint UsableSize(void* payload) => SizeOf((Block*)((byte*)payload - HeaderSize));

    /// <summary>Returns every block of the front cache to the free lists (merging them); O(16 x CacheDepth).</summary>
    public void Trim()
    {
        for (int bin = 0; bin < CacheBins; bin++)
        {
            nuint cached = (nuint)_lists.CacheHeads[bin];
            _lists.CacheHeads[bin] = 0;
            _lists.CacheCounts[bin] = 0;
            while (cached != 0)
            {
                nuint next = *(nuint*)cached;
                Block* block = (Block*)(cached - HeaderSize);
                nuint sizeAndFlags = block->SizeAndFlags & ~CachedBit;
                _cached -= (sizeAndFlags & ~FlagMask) + HeaderSize;
                _cachedBlocks--;
                Release(block, sizeAndFlags);
                cached = next;
            }
        }
    }

    public HeapCounters Counters
    {
        get
        {
            nuint size = (nuint)(_regionEnd - _regionStart);
            nuint largest = LargestFreePayload();
            for (int bin = CacheBins - 1; bin >= 0 && largest < (nuint)((bin + 1) * Alignment); bin--)
            {
                if (_lists.CacheHeads[bin] != 0)
                    largest = (nuint)((bin + 1) * Alignment);
            }

            return new HeapCounters(size, size - _overhead - _used + _cached, _overhead, largest);
        }
    }

    /// <summary>Checks every block and list; returns null when consistent, else what is wrong (host tests, heap.debug).</summary>
    public string Validate()
    {
        if (!IsInitialized)
            return "not initialized";
        nuint free = 0, used = 0, freeBlocks = 0, cachedBlocks = 0;
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
            if ((block->SizeAndFlags & CachedBit) != 0)
            {
                if (isFree)
                    return "a free block marked as cached";
                cachedBlocks++;
            }

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
        nuint size = (nuint)(_regionEnd - _regionStart);
        if (free != size - _overhead - _used)
            return "free bytes counted " + ((ulong)(size - _overhead - _used)).ToString() + ", found " + ((ulong)free).ToString();
        if (used != _used)
            return "used bytes counted " + ((ulong)_used).ToString() + ", found " + ((ulong)used).ToString();

        nuint listed = 0;
        for (int fl = 0; fl < FirstLevelCount; fl++)
        {
            if (((_firstLevelBitmap >> fl) & 1) != (_lists.SecondLevel[fl] != 0 ? 1UL : 0UL))
                return "first-level bitmap disagrees with the second level";
            for (int sl = 0; sl < SecondLevelCount; sl++)
            {
                Block* head = (Block*)_lists.Heads[(fl * SecondLevelCount) + sl];
                if (((_lists.SecondLevel[fl] >> sl) & 1) != (head != null ? 1u : 0u))
                    return "second-level bitmap disagrees with the list";
                Block* before = null;
                for (Block* node = head; node != null; node = node->NextFree)
                {
                    if ((node->SizeAndFlags & FreeBit) == 0)
                        return "used block in a free list";
                    if (ListOf(SizeOf(node)) != (fl * SecondLevelCount) + sl)
                        return "block in the wrong size class";
                    if (node->PreviousFree != before)
                        return "broken free-list back link";
                    before = node;
                    if (++listed > freeBlocks)
                        return "free lists hold more blocks than the region";
                }
            }
        }

        if (listed != freeBlocks)
            return "a free block is missing from the lists";

        nuint cachedBytes = 0, listedCached = 0;
        for (int bin = 0; bin < CacheBins; bin++)
        {
            int count = 0;
            for (nuint node = (nuint)_lists.CacheHeads[bin]; node != 0; node = *(nuint*)node)
            {
                Block* block = (Block*)(node - HeaderSize);
                if ((block->SizeAndFlags & (CachedBit | FreeBit)) != CachedBit || SizeOf(block) != (nuint)((bin + 1) * Alignment))
                    return "front cache list " + (bin + 1).ToString() + " holds a block of another size or state";
                if (++count > _cacheDepth)
                    return "front cache list longer than its depth";
                cachedBytes += Footprint(block);
                listedCached++;
            }

            if (count != _lists.CacheCounts[bin])
                return "front cache list count is wrong";
        }

        if (listedCached != cachedBlocks || listedCached != (nuint)_cachedBlocks)
            return "cached blocks in the chain and in the cache lists differ";
        return cachedBytes == _cached ? null : "cached bytes miscounted";
    }

    // Everything but the common small request: large and over-aligned requests, and a retry after
    // returning the front cache when nothing fits.
    private void* AllocateSlow(nuint size, nuint alignment)
    {
        if ((ulong)size > MaximumRequest)
            return null;
        nuint adjusted = size <= MinimumPayload ? MinimumPayload : HeapBits.AlignUp(size, Alignment);
        void* block = AllocateFromLists(adjusted, alignment);
        if (block == null && _cachedBlocks != 0)
        {
            Trim();
            block = AllocateFromLists(adjusted, alignment);
        }

        return block;
    }

    private void* AllocateFromLists(nuint adjusted, nuint alignment)
    {
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

    // The fast path's allocation: takes the head of list (fl, sl), every block of which fits `size`, and
    // splits it. A free block's flags are just F (its previous block is never free).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void* TakeAndUse(int fl, int sl, nuint size)
    {
        int index = (fl * SecondLevelCount) + sl;
        Block* block = (Block*)_lists.Heads[index];
        nuint blockSize = block->SizeAndFlags & ~FlagMask;
        nuint remaining = blockSize - size;
        _used += size + HeaderSize;
        if (remaining >= MinimumBlock)
        {
            Block* rest = (Block*)((byte*)block + HeaderSize + size);
            nuint restSize = remaining - HeaderSize;
            rest->PreviousPhysical = block;
            rest->SizeAndFlags = restSize | FreeBit;
            ((Block*)((byte*)rest + HeaderSize + restSize))->PreviousPhysical = rest;
            block->SizeAndFlags = size;
            if (restSize >= ListFloor(fl, sl))
            {
                Replace(block, rest, index); // the rest stays in the same list: no bitmap work
            }
            else
            {
                Unlink(block, index);
                Insert(rest);
            }
        }
        else
        {
            _used += remaining;
            Unlink(block, index);
            block->SizeAndFlags = blockSize;
            Next(block)->SizeAndFlags &= ~PreviousFreeBit;
        }

        return (byte*)block + HeaderSize;
    }

    // Frees a used (not cached) block whose header word is `sizeAndFlags`: merges it with free neighbours,
    // keeping a neighbour's place in its list when the merged block stays in that neighbour's size class.
    private void Release(Block* block, nuint sizeAndFlags)
    {
        nuint size = sizeAndFlags & ~FlagMask;
        _used -= size + HeaderSize;
        Block* next = (Block*)((byte*)block + HeaderSize + size);
        nuint nextSizeAndFlags = next->SizeAndFlags;
        if ((sizeAndFlags & PreviousFreeBit) == 0)
        {
            if ((nextSizeAndFlags & FreeBit) == 0)
            {
                block->SizeAndFlags = size | FreeBit;
                next->SizeAndFlags = nextSizeAndFlags | PreviousFreeBit;
                Insert(block);
                return;
            }

            // Merge with the next block only; the merged block starts here.
            nuint nextSize = nextSizeAndFlags & ~FlagMask;
            nuint merged = size + HeaderSize + nextSize;
            ((Block*)((byte*)next + HeaderSize + nextSize))->PreviousPhysical = block;
            block->SizeAndFlags = merged | FreeBit;
            int index = ListOf(nextSize);
            if (merged < ListLimit(index))
            {
                Replace(next, block, index);
            }
            else
            {
                Unlink(next, index);
                Insert(block);
            }

            return;
        }

        // The previous block is free: it absorbs this one (and the next, if free) and stays where it starts.
        // This block's own header keeps F, so a second free of it is still refused.
        block->SizeAndFlags = sizeAndFlags | FreeBit;
        Block* previous = block->PreviousPhysical;
        nuint previousSize = previous->SizeAndFlags & ~FlagMask;
        nuint total = previousSize + HeaderSize + size;
        Block* after = next;
        if ((nextSizeAndFlags & FreeBit) != 0)
        {
            nuint nextSize = nextSizeAndFlags & ~FlagMask;
            Unlink(next, ListOf(nextSize));
            total += HeaderSize + nextSize;
            after = (Block*)((byte*)next + HeaderSize + nextSize);
        }
        else
        {
            next->SizeAndFlags = nextSizeAndFlags | PreviousFreeBit;
        }

        after->PreviousPhysical = previous;
        int previousIndex = ListOf(previousSize);
        previous->SizeAndFlags = total | FreeBit;
        if (total >= ListLimit(previousIndex))
        {
            Unlink(previous, previousIndex);
            Insert(previous);
        }
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
        _used += Footprint(block);
        return (void*)Payload(block);
    }

    // Removes and returns a free block of at least `size` payload bytes: the first block of the
    // first non-empty list whose every block fits (O(1)); when none exists, a good fit from the
    // list that holds `size` itself, so a nearly full heap still finds an exact fit.
    private Block* TakeFree(nuint size)
    {
        nuint rounded = size;
        if (size >= SmallBlockSize)
            rounded += ((nuint)1 << (HeapBits.Log2OfSize(size) - SecondLevelLog2)) - 1;
        Map(rounded, out int fl, out int sl);
        if (fl < FirstLevelCount)
        {
            uint secondLevel = _lists.SecondLevel[fl] & (~0u << sl);
            if (secondLevel == 0)
            {
                ulong firstLevel = fl + 1 < 64 ? _firstLevelBitmap & (~0UL << (fl + 1)) : 0;
                if (firstLevel != 0)
                {
                    fl = HeapBits.LowestSetBit(firstLevel);
                    secondLevel = _lists.SecondLevel[fl];
                }
            }

            if (secondLevel != 0)
            {
                sl = HeapBits.LowestSetBit(secondLevel);
                int index = (fl * SecondLevelCount) + sl;
                Block* found = (Block*)_lists.Heads[index];
                Unlink(found, index);
                return found;
            }
        }

        Map(size, out fl, out sl);
        if (fl >= FirstLevelCount)
            return null;
        for (Block* node = (Block*)_lists.Heads[(fl * SecondLevelCount) + sl]; node != null; node = node->NextFree)
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
        int sl = HeapBits.HighestSetBit(_lists.SecondLevel[fl]);
        nuint largest = 0;
        for (Block* node = (Block*)_lists.Heads[(fl * SecondLevelCount) + sl]; node != null; node = node->NextFree)
        {
            if (SizeOf(node) > largest)
                largest = SizeOf(node);
        }

        return largest;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Map(nuint size, out int fl, out int sl)
    {
        if (size < SmallBlockSize)
        {
            fl = 0;
            sl = (int)(size / Alignment);
            return;
        }

        int top = HeapBits.Log2OfSize(size);
        sl = (int)(size >> (top - SecondLevelLog2)) ^ SecondLevelCount;
        fl = top - (FirstLevelShift - 1);
    }

    // The list (fl * 16 + sl) that holds free blocks of `size` payload bytes.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ListOf(nuint size)
    {
        Map(size, out int fl, out int sl);
        return (fl * SecondLevelCount) + sl;
    }

    // The smallest payload list (fl, sl) holds.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nuint ListFloor(int fl, int sl)
        => fl == 0 ? (nuint)sl * Alignment : (nuint)(SecondLevelCount + sl) << (fl + FirstLevelShift - SecondLevelLog2 - 1);

    // The smallest payload of the list after `index` (every payload in `index` is below it).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nuint ListLimit(int index)
    {
        int fl = index >> SecondLevelLog2;
        int sl = index & (SecondLevelCount - 1);
        return fl == 0 ? (nuint)(sl + 1) * Alignment : (nuint)(SecondLevelCount + sl + 1) << (fl + FirstLevelShift - SecondLevelLog2 - 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Insert(Block* block)
    {
        Map(SizeOf(block), out int fl, out int sl);
        int index = (fl * SecondLevelCount) + sl;
        Block* head = (Block*)_lists.Heads[index];
        block->NextFree = head;
        block->PreviousFree = null;
        if (head != null)
            head->PreviousFree = block;
        _lists.Heads[index] = (ulong)block;
        _firstLevelBitmap |= 1UL << fl;
        _lists.SecondLevel[fl] |= 1u << sl;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Remove(Block* block) => Unlink(block, ListOf(SizeOf(block)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Unlink(Block* block, int index)
    {
        Block* next = block->NextFree;
        Block* previous = block->PreviousFree;
        if (previous != null)
            previous->NextFree = next;
        else
            _lists.Heads[index] = (ulong)next;
        if (next != null)
            next->PreviousFree = previous;
        else if (previous == null)
            ClearList(index);
    }

    private void ClearList(int index)
    {
        int fl = index >> SecondLevelLog2;
        uint secondLevel = _lists.SecondLevel[fl] & ~(1u << (index & (SecondLevelCount - 1)));
        _lists.SecondLevel[fl] = secondLevel;
        if (secondLevel == 0)
            _firstLevelBitmap &= ~(1UL << fl);
    }

    // `replacement` takes `block`'s place in list `index` (same links, same head).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Replace(Block* block, Block* replacement, int index)
    {
        Block* next = block->NextFree;
        Block* previous = block->PreviousFree;
        replacement->NextFree = next;
        replacement->PreviousFree = previous;
        if (previous != null)
            previous->NextFree = replacement;
        else
            _lists.Heads[index] = (ulong)replacement;
        if (next != null)
            next->PreviousFree = replacement;
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
