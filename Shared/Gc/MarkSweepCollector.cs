// The heart of the garbage collector: non-moving, stop-the-world mark-sweep
// over the objects recorded in an ObjectStartTable. The same code runs in the
// kernel (Kernel/Memory/Gc) and in the host tests over a simulated heap.
//
// One collection is:
//   BeginMark
//   roots, in any order:
//     MarkReference        a precise reference (a static, a field of a root object)
//     MarkConservative / ScanConservativeRange
//                          a word that might be a reference (stacks, spilled
//                          registers): anything pointing into a recorded
//                          object's block, interior pointers included, keeps it
//     ScanObjectFields     every reference field of an object outside the heap
//                          (early bump region, frozen segment) that acts as a root
//                          (queued on the mark stack; FinishMark follows them)
//   FinishMark             drains the mark stack through the GCDesc of each object
//   Sweep                  frees every recorded object left unmarked, clears the marks
// References to addresses that are not recorded objects (null, the frozen
// segment, the early bump region) are ignored: those objects are never freed,
// and their own references are roots.
using System.Runtime.CompilerServices;

namespace Shared.Gc;

/// <summary>What the collector needs from the heap the objects live in.</summary>
public unsafe interface IObjectHeap
{
    /// <summary>
    /// Gives back the blocks of objects found dead, in address order: <paramref name="blocks"/>[i] = object - 8,
    /// <paramref name="sizes"/>[i] = the object's size (header included, rounded up to 8). The sweep hands them
    /// over in batches so that a heap with a lock takes it once per batch, not once per object.
    /// </summary>
    void FreeObjectBlocks(void** blocks, nuint* sizes, int count);
}

/// <summary>What one collection found.</summary>
public struct CollectionCounts
{
    public ulong MarkedObjects;
    public ulong MarkedBytes;
    public ulong FreedObjects;
    public ulong FreedBytes;

    /// <summary>Conservative words that kept an object alive (it may or may not have been a real reference).</summary>
    public ulong ConservativeHits;

    /// <summary>Times the mark stack overflowed and the heap's marked objects were rescanned.</summary>
    public ulong OverflowRescans;

    /// <summary>Precise references into the heap's range that were not object starts: a bug if ever non-zero.</summary>
    public ulong StrayReferences;
}

public unsafe struct MarkSweepCollector
{
    /// <summary>Dead blocks the sweep collects before it hands them to the heap in one call.</summary>
    public const int SweepBatch = 64;

    /// <summary>
    /// References the mark loop has prefetched and not checked yet (a power of two). On the benchmark's graph
    /// (docs/gc.md) 32 and 64 measured alike, 16 about 15% slower, 8 about 40% slower.
    /// </summary>
    public const int PrefetchDistance = 32;

    public ObjectStartTable Objects;
    private MarkStack _stack;
    private CollectionCounts _counts;

    /// <remarks><paramref name="markStack"/> must hold <paramref name="markStackCapacity"/> words and stay valid.</remarks>
    public void InitializeMarkStack(nuint* markStack, nuint markStackCapacity) => _stack.Initialize(markStack, markStackCapacity);

    public CollectionCounts Counts => _counts;

    public nuint MarkStackHighWater => _stack.HighWater;

    public void BeginMark()
    {
        _stack.Clear();
        _counts = default;
    }

    /// <summary>Marks the object <paramref name="value"/> refers to, if it is a recorded object.</summary>
    public void MarkReference(nuint value)
    {
        if (!Objects.Contains(value))
        {
            NoteStray(value);
            return;
        }

        MarkFound(value);
    }

    /// <summary>Treats <paramref name="word"/> as a possible reference: an address inside a recorded object's block keeps it.</summary>
    public void MarkConservative(nuint word)
    {
        if (!Objects.Covers(word))
            return;
        nuint obj = Objects.Contains(word) ? word : Objects.FindContaining(word);
        if (obj == 0)
            return;
        _counts.ConservativeHits++;
        MarkFound(obj);
    }

    /// <summary>Every aligned word in [<paramref name="start"/>, <paramref name="end"/>) as a conservative root.</summary>
    /// <remarks>The caller guarantees the range is readable.</remarks>
    public void ScanConservativeRange(nuint* start, nuint* end)
    {
        nuint lowest = Objects.Start;
        nuint span = Objects.Limit - lowest;
        for (nuint* word = start; word < end; word++)
        {
            nuint value = *word;
            if (value - lowest < span)
                MarkConservative(value);
        }
    }

    /// <summary>Marks what the reference fields of <paramref name="obj"/> (an object outside the heap) point at.</summary>
    /// <remarks>The caller guarantees <paramref name="obj"/> is an initialized object.</remarks>
    public void ScanObjectFields(nuint obj)
    {
        if (!ObjectLayout.ContainsReferences(ObjectLayout.MethodTableOf(obj)))
            return;

        // Through the mark stack, so that one loop reads every GCDesc (FinishMark drains it). The object is
        // never marked, so an overflow rescan would never find it again: when the stack is full it is drained
        // first, so that this push always succeeds.
        if (_stack.Count == _stack.Capacity)
            Drain();
        _stack.Push(obj);
    }

    /// <summary>Follows references from everything marked so far until nothing new is reached.</summary>
    public void FinishMark()
    {
        Drain();
        while (_stack.Overflowed)
        {
            // Some marked objects were never pushed: visit the references of every marked object again.
            _stack.Overflowed = false;
            _counts.OverflowRescans++;
            nuint chunks = Objects.ChunkCount;
            for (nuint chunk = 0; chunk < chunks; chunk++)
            {
                ulong* bits = Objects.ChunkBits(chunk);
                if (bits == null)
                    continue;
                nuint chunkAddress = Objects.ChunkAddress(chunk);
                for (nuint w = 0; w < ObjectStartTable.ChunkWords; w++)
                {
                    for (ulong word = bits[w]; word != 0; word &= word - 1)
                    {
                        nuint obj = chunkAddress + ((((w * 64) + (nuint)ObjectStartTable.LowestBit(word))) << 3);
                        if (ObjectLayout.IsMarked(obj) && ObjectLayout.ContainsReferences(ObjectLayout.MethodTableOf(obj)))
                        {
                            ScanObjectFields(obj);
                            Drain();
                        }
                    }
                }
            }
        }
    }

    /// <summary>Frees every recorded object that is not marked and clears the marks of the rest.</summary>
    public void Sweep<THeap>(ref THeap heap)
        where THeap : struct, IObjectHeap
    {
        void** blocks = stackalloc void*[SweepBatch];
        nuint* sizes = stackalloc nuint[SweepBatch];
        int pending = 0;
        ulong freedObjects = 0, freedBytes = 0;
        nuint chunks = Objects.ChunkCount;
        for (nuint chunk = 0; chunk < chunks; chunk++)
        {
            ulong* bits = Objects.ChunkBits(chunk);
            if (bits == null)
                continue;
            nuint chunkAddress = Objects.ChunkAddress(chunk);
            nuint removed = 0;

            // Straight over the bitmap words: a word holds up to 64 object starts, found with a bit scan each.
            ulong* wordEnd = bits + ObjectStartTable.ChunkWords;
            for (ulong* wordPointer = bits; wordPointer < wordEnd; wordPointer++)
            {
                ulong starts = *wordPointer;
                if (starts == 0)
                    continue;
                nuint wordAddress = chunkAddress + ((nuint)(wordPointer - bits) << 9);
                ulong dead = 0;
                for (ulong rest = starts; rest != 0; rest &= rest - 1)
                {
                    int bit = ObjectStartTable.LowestBit(rest);
                    ulong* header = (ulong*)(wordAddress + ((nuint)bit << 3) - ObjectLayout.HeaderSize);
                    ulong headerWord = *header;
                    if ((headerWord & ObjectLayout.MarkBit) != 0)
                    {
                        *header = headerWord & ~ObjectLayout.MarkBit;
                        continue;
                    }

                    dead |= rest & (0 - rest);
                    nuint size = ObjectLayout.Size((nuint)header + ObjectLayout.HeaderSize);
                    freedObjects++;
                    freedBytes += size;
                    blocks[pending] = header;
                    sizes[pending] = size;
                    if (++pending == SweepBatch)
                    {
                        // The bits must be gone before the blocks are (an allocation can reuse them at once).
                        *wordPointer = starts & ~dead;
                        heap.FreeObjectBlocks(blocks, sizes, pending);
                        pending = 0;
                    }
                }

                if (dead != 0)
                {
                    *wordPointer = starts & ~dead;
                    removed += (nuint)PopCount(dead);
                }
            }

            if (removed != 0)
                Objects.NoteRemoved(chunk, removed);
        }

        if (pending != 0)
            heap.FreeObjectBlocks(blocks, sizes, pending);
        _counts.FreedObjects += freedObjects;
        _counts.FreedBytes += freedBytes;
    }

    private static int PopCount(ulong value)
    {
        value -= (value >> 1) & 0x5555555555555555UL;
        value = (value & 0x3333333333333333UL) + ((value >> 2) & 0x3333333333333333UL);
        value = (value + (value >> 4)) & 0x0F0F0F0F0F0F0F0FUL;
        return (int)((value * 0x0101010101010101UL) >> 56);
    }

    // A reference into the heap's range that is not an object start: counted (the kernel panics on it).
    private void NoteStray(nuint value)
    {
        if (value != 0 && Objects.Covers(value) && Objects.FindContaining(value) != 0)
            _counts.StrayReferences++;
    }

    private void MarkFound(nuint obj)
    {
        ulong* header = ObjectLayout.Header(obj);
        if ((*header & ObjectLayout.MarkBit) != 0)
            return;
        *header |= ObjectLayout.MarkBit;
        _counts.MarkedObjects++;
        _counts.MarkedBytes += ObjectLayout.Size(obj);
        if (ObjectLayout.ContainsReferences(ObjectLayout.MethodTableOf(obj)))
            _stack.Push(obj);
    }

    // The mark loop. Its time goes into cache misses: the objects of a big heap are scattered over far more
    // memory than the caches hold, and checking a reference's mark bit reads its header. So a reference found
    // in a slot is not checked at once: the line of its header is prefetched and the reference waits in a
    // ring of PrefetchDistance entries; when the ring is full, the reference that entered PrefetchDistance
    // references earlier is checked first, by when its line has usually arrived. Up to PrefetchDistance misses
    // are under way at once instead of about one (the CPU's out-of-order window did not overlap them much,
    // presumably because the "already marked?" branch depends on the missing line and often mispredicts). Checking marks the object and, when it has references, pushes it
    // on the mark stack; an object popped from the stack is scanned into the ring (its own line was just
    // fetched to mark it). Before the next object is popped, a full ring has its oldest entry checked, so an
    // object that check pushes is the one scanned next; when the stack is empty the ring empties one check at
    // a time. An object's slots enter the ring last to first, so that its first reference is checked last,
    // pushed last and popped first: a list whose link is the first field (ILC lays reference fields out
    // first) is then walked depth first, as it was without the ring. On the benchmark's graph, first to last
    // took the stack to 10,900 entries at a distance of 8 and overflowed its 16 Ki at 16; last to first it
    // peaks at about 300 (distance 8) to 650 (32), against 16 for a loop without the ring.
    // Everything it touches per reference is in a local (the table's range and directory, the stack's buffer
    // and depth, the ring's positions, the counters), and the check is a method inlined at its two call
    // sites rather than one loop that resumes an object's scan: under QEMU's TCG every memory access costs a
    // software TLB lookup, a field of a struct behind a pointer is one, and so is every local the register
    // allocator spills (the resuming loop's extra state spilled enough to make the kernel's pause under TCG
    // 1.3-2.8 times the loop's without the ring; this shape costs 16-26 % more than that loop, docs/gc.md).
    private void Drain()
    {
        nuint heapBase = Objects.Start;
        nuint span = Objects.Limit - heapBase;
        ulong** chunks = Objects.Chunks;
        nuint* items = _stack.Items;
        nuint capacity = _stack.Capacity;
        nuint count = _stack.Count;
        nuint depth = count;
        ulong markedObjects = 0, markedBytes = 0;

        // The ring: entries ring[left % distance] .. ring[(entered - 1) % distance], oldest first.
        nuint* ring = stackalloc nuint[PrefetchDistance];
        nuint entered = 0, left = 0;

        while (true)
        {
            if (count == 0 || entered - left == PrefetchDistance)
            {
                // The stack is empty (the ring empties one check at a time, each of which may push an object to
                // scan), or an object is done with the ring full (its oldest entry is checked before the next
                // object is popped, so that an object the check pushes is scanned next: depth first).
                if (entered == left)
                    break;
                Check(ring[left++ & (PrefetchDistance - 1)], heapBase, chunks, items, capacity, ref count, ref markedObjects, ref markedBytes);
                continue;
            }

            // The high-water mark per pop, not per push: every push is popped later, so the maximum is the same.
            if (count > depth)
                depth = count;
            nuint obj = items[--count];
            byte* methodTable = *(byte**)obj;
            uint flags = *(uint*)methodTable;
            nint series = *(nint*)(methodTable - 8);
            nuint size = *(uint*)(methodTable + 4);
            if ((int)flags < 0) // HasComponentSizeFlag: length x component size more
                size += (nuint)(uint)*(int*)(obj + 8) * (flags & 0xFFFF);
            size = (size + 7) & ~(nuint)7;

            if (series < 0)
            {
                // The repeating form (arrays of structs holding references) is rare: it goes through the
                // stack's own Push, with the loop's depth handed over and taken back.
                _stack.Count = count;
                ScanRepeating(obj, methodTable, series, size);
                count = _stack.Count;
                continue;
            }

            // Ordinary form: `series` runs of slots, each {offset, stored length + size}; each run's slots last
            // to first (see above). A slot that points into the heap enters the ring; when the ring is full,
            // its oldest entry is checked first.
            for (nint run = 0; run < series; run++)
            {
                nuint* start = (nuint*)(obj + *(nuint*)(methodTable - 16 - (16 * run)));
                nuint* slot = (nuint*)((byte*)start + (*(nint*)(methodTable - 24 - (16 * run)) + (nint)size));
                while (slot != start)
                {
                    nuint found = *--slot;
                    if (found - heapBase >= span)
                        continue; // null, or outside the heap (frozen segment, early region): never marked
                    Prefetch.Line(found - ObjectLayout.HeaderSize); // the header; the MethodTable pointer follows it
                    if (entered - left == PrefetchDistance)
                        Check(ring[left++ & (PrefetchDistance - 1)], heapBase, chunks, items, capacity, ref count, ref markedObjects, ref markedBytes);
                    ring[entered++ & (PrefetchDistance - 1)] = found;
                }
            }
        }

        _stack.Count = 0;
        _stack.NoteDepth(depth);
        _counts.MarkedObjects += markedObjects;
        _counts.MarkedBytes += markedBytes;
    }

    // The check of one reference that leaves the ring (inlined into Drain's two call sites, so that its state
    // stays in Drain's locals). A precise reference must be a recorded object start; an unmarked object is
    // marked, counted and, when it has references, pushed.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Check(nuint value, nuint heapBase, ulong** chunks, nuint* items, nuint capacity, ref nuint count, ref ulong markedObjects, ref ulong markedBytes)
    {
        ulong* bits = chunks[(value - heapBase) >> ObjectStartTable.ChunkShift];
        nuint granule = ((value - heapBase) & (ObjectStartTable.ChunkBytes - 1)) >> 3;
        if ((value & 7) != 0 || bits == null || (bits[granule >> 6] & (1UL << (int)(granule & 63))) == 0)
        {
            NoteStray(value);
            return;
        }

        ulong* header = (ulong*)(value - ObjectLayout.HeaderSize);
        ulong headerWord = *header;
        if ((headerWord & ObjectLayout.MarkBit) != 0)
            return;
        *header = headerWord | ObjectLayout.MarkBit;
        byte* childTable = *(byte**)value;
        uint childFlags = *(uint*)childTable;
        nuint childSize = *(uint*)(childTable + 4);
        if ((int)childFlags < 0)
            childSize += (nuint)(uint)*(int*)(value + 8) * (childFlags & 0xFFFF);
        markedObjects++;
        markedBytes += (childSize + 7) & ~(nuint)7;
        if ((childFlags & ObjectLayout.ContainsReferencesFlag) == 0)
            return;
        if (count == capacity)
        {
            _stack.Overflowed = true; // marked but not pushed: FinishMark rescans
            return;
        }

        items[count++] = value;
    }

    // The repeating GCDesc form (arrays of structs holding references), decoded by GcDesc.RepeatingRuns.
    private void ScanRepeating(nuint obj, byte* methodTable, nint series, nuint size)
    {
        var runs = new GcDesc.RepeatingRuns(obj, methodTable, series, size);
        while (runs.Next(out nuint* slot, out nuint length))
        {
            for (nuint* end = slot + length; slot < end; slot++)
            {
                if (*slot != 0)
                    MarkReference(*slot);
            }
        }
    }
}
