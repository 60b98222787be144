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
//   FinishMark             drains the mark stack through the GCDesc of each object
//   Sweep                  frees every recorded object left unmarked, clears the marks
// References to addresses that are not recorded objects (null, the frozen
// segment, the early bump region) are ignored: those objects are never freed,
// and their own references are roots.
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
        var marker = new Marker(ref this);
        marker.ScanObject(obj);
        marker.Finish(ref this);
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
        var marker = new Marker(ref this);
        marker.MarkRecorded(obj);
        marker.Finish(ref this);
    }

    private void Drain()
    {
        var marker = new Marker(ref this);
        marker.Drain();
        marker.Finish(ref this);
    }

    // The mark loop's state in locals: the table's range and directory, the mark stack's buffer and depth, the
    // counters. Built from the collector at the start of a phase and written back by Finish.
    private ref struct Marker
    {
        private readonly MarkSweepCollector* _collector;
        private readonly nuint _base;
        private readonly nuint _span;
        private readonly ulong** _chunks;
        private readonly nuint* _items;
        private readonly nuint _capacity;
        private nuint _count;
        private nuint _depth;
        private ulong _markedObjects;
        private ulong _markedBytes;
        private bool _overflowed;

        public Marker(ref MarkSweepCollector collector)
        {
            _collector = (MarkSweepCollector*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref collector);
            _base = collector.Objects.Start;
            _span = collector.Objects.Limit - _base;
            _chunks = collector.Objects.Chunks;
            _items = collector._stack.Items;
            _capacity = collector._stack.Capacity;
            _count = collector._stack.Count;
            _depth = _count;
            _markedObjects = 0;
            _markedBytes = 0;
            _overflowed = false;
        }

        public void Finish(ref MarkSweepCollector collector)
        {
            collector._stack.Count = _count;
            collector._stack.NoteDepth(_depth);
            if (_overflowed)
                collector._stack.Overflowed = true;
            collector._counts.MarkedObjects += _markedObjects;
            collector._counts.MarkedBytes += _markedBytes;
        }

        public void Drain()
        {
            while (_count != 0)
                ScanObject(_items[--_count]);
        }

        // Marks what the reference slots of obj point at (pushing newly marked objects that have references).
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public void ScanObject(nuint obj)
        {
            byte* methodTable = *(byte**)obj;
            uint flags = *(uint*)methodTable;
            if ((flags & ObjectLayout.ContainsReferencesFlag) == 0)
                return;
            nint series = *(nint*)(methodTable - 8);
            nuint size = *(uint*)(methodTable + 4);
            if ((int)flags < 0) // HasComponentSizeFlag: add length x component size
                size += (nuint)(uint)*(int*)(obj + 8) * (flags & 0xFFFF);
            size = (size + 7) & ~(nuint)7;
            if (series == 1)
            {
                // By far the most common shape: one run of references (a class, an array of references).
                nuint* slot = (nuint*)(obj + *(nuint*)(methodTable - 16));
                nuint* end = (nuint*)((byte*)slot + (*(nint*)(methodTable - 24) + (nint)size));
                for (; slot < end; slot++)
                    MarkSlot(*slot);
                return;
            }

            if (series > 0)
            {
                for (nint i = 0; i < series; i++)
                {
                    nuint* slot = (nuint*)(obj + *(nuint*)(methodTable - 16 - (16 * i)));
                    nuint* end = (nuint*)((byte*)slot + (*(nint*)(methodTable - 24 - (16 * i)) + (nint)size));
                    for (; slot < end; slot++)
                        MarkSlot(*slot);
                }

                return;
            }

            ScanRepeating(obj, methodTable, series, size);
        }

        // The repeating form (arrays of structs holding references): the items describe one element and
        // repeat until the object's end.
        private void ScanRepeating(nuint obj, byte* methodTable, nint series, nuint size)
        {
            byte* cursor = (byte*)(obj + *(nuint*)(methodTable - 16));
            byte* objectEnd = (byte*)(obj - ObjectLayout.HeaderSize + size);
            nint items = -series;
            while (cursor < objectEnd)
            {
                byte* roundStart = cursor;
                for (nint j = 0; j < items && cursor < objectEnd; j++)
                {
                    uint* item = (uint*)(methodTable - 24 - (8 * j));
                    nuint* slot = (nuint*)cursor;
                    nuint* end = slot + item[0];
                    for (; slot < end; slot++)
                        MarkSlot(*slot);
                    cursor = (byte*)end + item[1];
                }

                if (cursor == roundStart)
                    return; // a malformed GCDesc that describes no bytes would loop forever
            }
        }

        // A precise reference: null and addresses outside the heap (frozen segment, early region) are skipped
        // with one compare; inside the heap it must be a recorded object start.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        private void MarkSlot(nuint value)
        {
            nuint offset = value - _base;
            if (offset >= _span)
                return;
            ulong* bits = _chunks[offset >> ObjectStartTable.ChunkShift];
            nuint granule = (offset & (ObjectStartTable.ChunkBytes - 1)) >> 3;
            if ((value & 7) != 0 || bits == null || (bits[granule >> 6] & (1UL << (int)(granule & 63))) == 0)
            {
                _collector->NoteStray(value);
                return;
            }

            MarkRecorded(value);
        }

        // obj is a recorded object: set its mark bit; if it was clear, count it and queue its references.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public void MarkRecorded(nuint obj)
        {
            ulong* header = (ulong*)(obj - ObjectLayout.HeaderSize);
            ulong headerWord = *header;
            if ((headerWord & ObjectLayout.MarkBit) != 0)
                return;
            *header = headerWord | ObjectLayout.MarkBit;
            byte* methodTable = *(byte**)obj;
            uint flags = *(uint*)methodTable;
            nuint size = *(uint*)(methodTable + 4);
            if ((int)flags < 0)
                size += (nuint)(uint)*(int*)(obj + 8) * (flags & 0xFFFF);
            _markedObjects++;
            _markedBytes += (size + 7) & ~(nuint)7;
            if ((flags & ObjectLayout.ContainsReferencesFlag) == 0)
                return;
            if (_count == _capacity)
            {
                _overflowed = true;
                return;
            }

            _items[_count++] = obj;
            if (_count > _depth)
                _depth = _count;
        }
    }
}
