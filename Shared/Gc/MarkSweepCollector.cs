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
    /// <summary>Gives back the block of an object found dead (<paramref name="block"/> = object - 8).</summary>
    void FreeObjectBlock(void* block, nuint objectSize);
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
            if (value != 0 && Objects.Covers(value) && Objects.FindContaining(value) != 0)
                _counts.StrayReferences++;
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
        fixed (MarkSweepCollector* self = &this)
        {
            var visitor = new MarkVisitor(self);
            GcDesc.VisitReferences(obj, ref visitor);
        }
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
            nuint cursor = Objects.Start;
            nuint obj;
            while ((obj = Objects.NextAtOrAbove(cursor)) != 0)
            {
                cursor = obj + 8;
                if (ObjectLayout.IsMarked(obj) && ObjectLayout.ContainsReferences(ObjectLayout.MethodTableOf(obj)))
                {
                    ScanObjectFields(obj);
                    Drain();
                }
            }
        }
    }

    /// <summary>Frees every recorded object that is not marked and clears the marks of the rest.</summary>
    public void Sweep<THeap>(ref THeap heap)
        where THeap : struct, IObjectHeap
    {
        // Straight over the bitmap words: a word holds up to 64 object starts.
        nuint chunks = Objects.ChunkCount;
        for (nuint chunk = 0; chunk < chunks; chunk++)
        {
            ulong* bits = Objects.ChunkBits(chunk);
            if (bits == null)
                continue;
            nuint chunkAddress = Objects.ChunkAddress(chunk);
            for (int w = 0; w < ObjectStartTable.ChunkWords; w++)
            {
                ulong word = bits[w];
                while (word != 0)
                {
                    int bit = ObjectStartTable.LowestBit(word);
                    word &= word - 1;
                    nuint obj = chunkAddress + ((((nuint)w * 64) + (nuint)bit) << 3);
                    ulong* header = ObjectLayout.Header(obj);
                    if ((*header & ObjectLayout.MarkBit) != 0)
                    {
                        *header &= ~ObjectLayout.MarkBit;
                        continue;
                    }

                    nuint size = ObjectLayout.Size(obj);
                    Objects.Remove(obj);
                    _counts.FreedObjects++;
                    _counts.FreedBytes += size;
                    heap.FreeObjectBlock(header, size);
                }
            }
        }
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

    private void Drain()
    {
        fixed (MarkSweepCollector* self = &this)
        {
            var visitor = new MarkVisitor(self);
            while (!_stack.IsEmpty)
                GcDesc.VisitReferences(_stack.Pop(), ref visitor);
        }
    }

    private readonly struct MarkVisitor : IReferenceVisitor
    {
        private readonly MarkSweepCollector* _collector;

        public MarkVisitor(MarkSweepCollector* collector) => _collector = collector;

        public void Visit(nuint* slot)
        {
            nuint value = *slot;
            if (value != 0)
                _collector->MarkReference(value);
        }
    }
}
