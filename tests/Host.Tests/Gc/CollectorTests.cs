// Focused checks of the collector's parts over the simulated heap: GCDesc
// decoding of every shape, the object start table's interior-pointer lookup
// and iteration, a 1,000,000-node list and a wide array with a tiny mark stack
// (overflow rescans), cycles, and root objects outside the heap.
using System.Runtime.InteropServices;
using Shared.Gc;
using Xunit;

namespace Host.Tests.Gc;

public sealed unsafe class CollectorTests
{
    private struct SlotCollector : IReferenceVisitor
    {
        public List<int> Offsets;
        public nuint Object;

        public void Visit(nuint* slot) => Offsets.Add((int)((nuint)slot - Object));
    }

    [Fact]
    public void GcDesc_VisitsExactlyTheReferenceSlots_OfEveryShape()
    {
        using var types = new SimulatedTypes();
        using var heap = new SimulatedHeap(4 << 20);
        foreach (SimulatedType type in new[] { types.Leaf(3), types.Node(1), types.Node(3, 2), types.SplitNode(5), types.ReferenceArray(), types.StructArray(), types.ByteArray() })
        {
            foreach (int length in type.IsArray ? new[] { 0, 1, 7 } : new[] { 0 })
            {
                nuint obj = heap.Allocate(type, length);
                var visitor = new SlotCollector { Offsets = new List<int>(), Object = obj };
                GcDesc.VisitReferences(obj, ref visitor);
                Assert.Equal(type.ReferenceOffsets(length).ToArray(), visitor.Offsets.ToArray());
            }
        }
    }

    [Fact]
    public void StartTable_FindsObjectsFromInteriorPointers_AndNothingElse()
    {
        using var types = new SimulatedTypes();
        using var heap = new SimulatedHeap(8 << 20);
        SimulatedType leaf = types.Leaf(4);
        nuint a = heap.Allocate(leaf);
        byte* raw = heap.AllocateRaw(64);
        nuint b = heap.Allocate(types.ReferenceArray(), 200_000); // spans two 1 MiB chunks
        ref ObjectStartTable table = ref heap.Collector->Objects;

        Assert.Equal(a, table.FindContaining(a));
        Assert.Equal(a, table.FindContaining(a - 8));
        Assert.Equal(a, table.FindContaining(a + 39));
        Assert.Equal(0u, table.FindContaining((nuint)raw + 8));
        Assert.Equal(b, table.FindContaining(b + (8 * 199_999)));
        Assert.Equal(0u, table.FindContaining(b + (8 * 200_002)));
        Assert.True(table.Contains(a) && !table.Contains(a + 8) && !table.Contains((nuint)raw + 8));
        Assert.Equal(a, table.NextAtOrAbove(0));
        Assert.Equal(b, table.NextAtOrAbove(a + 8));
        Assert.Equal(0u, table.NextAtOrAbove(b + 8));
        table.Remove(a);
        Assert.Equal(0u, table.FindContaining(a + 8));
        Assert.Equal(1u, table.Count);
    }

    [Fact]
    public void MillionNodeList_SurvivesWithATinyMarkStack_ThenIsFreed()
    {
        using var types = new SimulatedTypes();
        using var heap = new SimulatedHeap(64 << 20, markStackCapacity: 4);
        SimulatedType node = types.Node(1);
        nuint head = 0;
        for (int i = 0; i < 1_000_000; i++)
        {
            nuint n = heap.Allocate(node);
            *(nuint*)(n + 8) = head;
            *(long*)(n + 16) = i;
            head = n;
        }

        Collect(heap, roots: new[] { head });
        Assert.Equal(1_000_000UL, heap.Collector->Counts.MarkedObjects);
        Assert.Equal(0UL, heap.Collector->Counts.FreedObjects);
        long sum = 0;
        for (nuint n = head; n != 0; n = *(nuint*)(n + 8))
            sum += *(long*)(n + 16);
        Assert.Equal(999_999L * 1_000_000 / 2, sum);

        Collect(heap, roots: Array.Empty<nuint>());
        Assert.Equal(1_000_000UL, heap.Collector->Counts.FreedObjects);
        Assert.Equal(0u, heap.Collector->Objects.Count);
    }

    [Fact]
    public void WideArray_OverflowsTheMarkStack_AndEveryElementStillSurvives()
    {
        using var types = new SimulatedTypes();
        using var heap = new SimulatedHeap(16 << 20, markStackCapacity: 8);
        SimulatedType node = types.Node(2);
        nuint array = heap.Allocate(types.ReferenceArray(), 10_000);
        for (int i = 0; i < 10_000; i++)
        {
            nuint element = heap.Allocate(node);
            *(nuint*)(array + 16 + (nuint)(8 * i)) = element;
            *(nuint*)(element + 8) = heap.Allocate(types.Leaf(1)); // a child behind each element
        }

        Collect(heap, roots: new[] { array });
        Assert.True(heap.Collector->Counts.OverflowRescans > 0);
        Assert.Equal(20_001UL, heap.Collector->Counts.MarkedObjects);
        Assert.Equal(0UL, heap.Collector->Counts.FreedObjects);
    }

    [Fact]
    public void Cycles_WithoutRoots_AreCollected()
    {
        using var types = new SimulatedTypes();
        using var heap = new SimulatedHeap(4 << 20);
        SimulatedType node = types.Node(1);
        nuint a = heap.Allocate(node), b = heap.Allocate(node), c = heap.Allocate(node);
        *(nuint*)(a + 8) = b;
        *(nuint*)(b + 8) = c;
        *(nuint*)(c + 8) = a;
        Collect(heap, roots: new[] { b });
        Assert.Equal(3UL, heap.Collector->Counts.MarkedObjects);
        Collect(heap, roots: Array.Empty<nuint>());
        Assert.Equal(3UL, heap.Collector->Counts.FreedObjects);
    }

    [Fact]
    public void RegionRoots_ScanObjectsAndSkipRawBlocks()
    {
        using var types = new SimulatedTypes();
        using var heap = new SimulatedHeap(4 << 20);
        SimulatedType node = types.Node(2);
        nuint kept1 = heap.Allocate(types.Leaf(1)), kept2 = heap.Allocate(types.Leaf(1)), lost = heap.Allocate(types.Leaf(1));

        // A bump region: object, raw block (whose bytes look like a reference to 'lost'), object, then unused zeroes.
        byte* region = (byte*)NativeMemory.AllocZeroed(4096);
        try
        {
            byte* cursor = region;
            nuint first = (nuint)(cursor + 8);
            *(byte**)first = node.MethodTable;
            *(nuint*)(first + 8) = kept1;
            cursor += node.Size(0);
            *(ulong*)cursor = ObjectRegion.RawBlockTag | 20;
            *(nuint*)(cursor + 8) = lost;
            cursor += 8 + 24;
            nuint second = (nuint)(cursor + 8);
            *(byte**)second = node.MethodTable;
            *(nuint*)(second + 16) = kept2;

            heap.Collector->BeginMark();
            nuint seen = ObjectRegion.ScanRoots(ref *heap.Collector, region, region + 4096);
            heap.Collector->FinishMark();
            heap.Sweep();
            Assert.Equal(2u, seen);
            Assert.True(heap.Collector->Objects.Contains(kept1) && heap.Collector->Objects.Contains(kept2));
            Assert.False(heap.Collector->Objects.Contains(lost));
        }
        finally
        {
            NativeMemory.Free(region);
        }
    }

    [Fact]
    public void BitSearch_MatchesTheObviousLoop()
    {
        var random = new Random(7);
        for (int i = 0; i < 10_000; i++)
        {
            ulong value = ((ulong)random.NextInt64() << 1 | 1UL) << random.Next(64);
            if (value == 0)
                continue;
            Assert.Equal(System.Numerics.BitOperations.TrailingZeroCount(value), ObjectStartTable.LowestBit(value));
            Assert.Equal(63 - System.Numerics.BitOperations.LeadingZeroCount(value), ObjectStartTable.HighestBit(value));
        }
    }

    internal static void Collect(SimulatedHeap heap, nuint[] roots)
    {
        MarkSweepCollector* collector = heap.Collector;
        collector->BeginMark();
        foreach (nuint root in roots)
            collector->MarkReference(root);
        collector->FinishMark();
        heap.Sweep();
    }

    // The sweep hands dead blocks over in batches: every dead object arrives exactly once, in address order, with
    // its size, and its start bit is already gone when the heap gets it (an allocation may reuse it at once).
    [Fact]
    public void Sweep_FreesInBatches_InAddressOrder_WithTheStartBitsAlreadyCleared()
    {
        using var types = new SimulatedTypes();
        using var heap = new SimulatedHeap(4 << 20);
        SimulatedType leaf = types.Leaf(1);
        SimulatedType array = types.ByteArray();
        var kept = new List<nuint>();
        var dead = new Dictionary<nuint, nuint>();
        for (int i = 0; i < 1000; i++)
        {
            nuint obj = i % 7 == 3 ? heap.Allocate(array, i) : heap.Allocate(leaf);
            if (i % 3 == 0)
                kept.Add(obj);
            else
                dead[obj - 8] = i % 7 == 3 ? array.Size(i) : leaf.Size(0);
        }

        MarkSweepCollector* collector = heap.Collector;
        collector->BeginMark();
        foreach (nuint obj in kept)
            collector->MarkReference(obj);
        collector->FinishMark();
        var recorder = new RecordingHeap { Collector = collector, Freed = new List<(nuint, nuint)>(), Batches = new List<int>() };
        collector->Sweep(ref recorder);

        Assert.Equal(dead.Count, recorder.Freed.Count);
        Assert.Equal(dead.OrderBy(d => d.Key).Select(d => (d.Key, d.Value)).ToArray(), recorder.Freed.ToArray());
        Assert.True(recorder.Batches.All(b => b <= MarkSweepCollector.SweepBatch) && recorder.Batches.Count >= dead.Count / MarkSweepCollector.SweepBatch);
        Assert.Equal(0, recorder.StillRecorded);
        Assert.Equal((ulong)dead.Count, collector->Counts.FreedObjects);
        Assert.Equal((ulong)dead.Values.Aggregate(0UL, (sum, size) => sum + size), collector->Counts.FreedBytes);
        Assert.Equal((nuint)kept.Count, collector->Objects.Count);
        Assert.All(kept, obj => Assert.True(collector->Objects.Contains(obj) && !ObjectLayout.IsMarked(obj)));
    }

    private struct RecordingHeap : IObjectHeap
    {
        public MarkSweepCollector* Collector;
        public List<(nuint Block, nuint Size)> Freed;
        public List<int> Batches;
        public int StillRecorded;

        public void FreeObjectBlocks(void** blocks, nuint* sizes, int count)
        {
            Batches.Add(count);
            for (int i = 0; i < count; i++)
            {
                if (Collector->Objects.Contains((nuint)blocks[i] + 8))
                    StillRecorded++;
                Freed.Add(((nuint)blocks[i], sizes[i]));
            }
        }
    }
}
