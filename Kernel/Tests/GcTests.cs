// The garbage collector inside the kernel, on the real heap, the real stack
// and ILCompiler's real GCDesc: plain C# loops that allocate far more than the
// heap holds, structures that must survive collections intact, garbage that
// must go, the System.GC API, and the GCDesc checked against the addresses of
// real fields. Suite "gc": one boot (tests/Boot.Tests runs it again under
// gc.stress). The bulk tests suspend stress for most of their structures
// after building the first part under it: a collection every N allocations
// over a growing million-node list is quadratic.
using System;
using System.Runtime.CompilerServices;
using Kernel.Arch;
using Kernel.Memory.Gc;
using Kernel.Memory.Heap;
using Kernel.Testing;
using Kernel.Time;
using Shared.Gc;

namespace Kernel.Tests;

internal static unsafe class GcTests
{
    private const string Suite = "gc";

    private sealed class Node
    {
        public Node Next;
        public int Value;
    }

    private sealed class TreeNode
    {
        public TreeNode Left;
        public TreeNode Right;
        public int Value;
    }

    private struct Pair
    {
        public object First;
        public long Number;
        public string Second;
    }

    private sealed class Mixed
    {
        public int A;
        public object B;
        public long C;
        public string D;
        public Pair E;
    }

    private static Node s_staticList;
    private static object[] s_staticArray;
    private static readonly string[] s_frozenNames = { "alpha", "beta", "gamma" };

    // ---------------------------------------------------------------- the blog's many_boxes, as plain C#

    // A boot of its own: the rest of the gc suite grows the heap (the million-node list keeps 32 MiB live, and
    // the heap never shrinks), and "twenty times the heap" is about a fresh kernel's heap.
    [KernelTest(Suite = "gc-boxes")]
    public static void ManyBoxes_PlainLoop_AllocatesTwentyTimesTheHeap()
    {
        long allocatedBefore = GC.GetTotalAllocatedBytes();
        int collectionsBefore = GC.CollectionCount(0);
        // Boxes in rounds of 100,000 until twenty times the heap (as it is then) went through it; the cap
        // (240 MiB of boxes) only ends a heap that keeps growing instead of collecting.
        const int Round = 100_000, MaximumBoxes = 10_000_000;
        int count = 0;
        long allocated = 0;
        ulong heapBytes = KernelHeap.Statistics.Size;
        while (count < MaximumBoxes && (ulong)allocated < 20 * heapBytes)
        {
            for (int i = 0; i < Round; i++)
            {
                object box = count + i;
                Consume(box);
            }

            count += Round;
            allocated = GC.GetTotalAllocatedBytes() - allocatedBefore;
            heapBytes = KernelHeap.Statistics.Size;
        }

        Assert.True(allocated >= (long)count * 24, "every box was allocated (" + allocated.ToString() + " bytes)");
        Assert.True((ulong)allocated >= 20 * heapBytes, "allocated " + (allocated >> 20).ToString() + " MiB on a heap of " + (heapBytes >> 20).ToString() + " MiB");
        Assert.True(GC.CollectionCount(0) > collectionsBefore, "the heap collected instead of growing");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Consume(object value)
    {
    }

    [KernelTest(Suite = Suite)]
    public static void ManyBoxes_LongLivedObjectSurvives()
    {
        var longLived = new Node { Value = 0x5EED };
        var chain = new Node { Value = 1, Next = new Node { Value = 2 } };
        longLived.Next = chain;
        for (int i = 0; i < 1_000_000; i++)
        {
            object box = i;
            Consume(box);
        }

        Assert.True(GarbageCollector.IsHeapObject(longLived), "the long-lived object is a heap object");
        Assert.Equal(0x5EED, longLived.Value);
        Assert.Equal(1, longLived.Next.Value);
        Assert.Equal(2, longLived.Next.Next.Value);
    }

    // ---------------------------------------------------------------- structures that must survive

    [KernelTest(Suite = Suite)]
    public static void LinkedList_MillionNodes_SurvivesRepeatedCollections()
    {
        GcStatistics start = GarbageCollector.Statistics;
        BuildAndCheckList();
        ReportUnderStress("LinkedList_MillionNodes", start);

        // The list was only ever referenced from BuildAndCheckList's frames, which are gone: no stack word
        // can keep it (stale words in this frame would make the conservative scan retain it all).
        GarbageCollector.Collect();
        Assert.True(GarbageCollector.LastCounts.FreedObjects >= 999_000, "the dropped list was freed (" + GarbageCollector.LastCounts.FreedObjects.ToString() + " objects)");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void BuildAndCheckList()
    {
        // Under gc.stress the list's first 50,000 nodes are made with stress on: a collection every 97th
        // allocation while the list grows, the part made so far held only by `head` (a register or a stack slot).
        // All of it that way would mark the growing list 10,300 times, about N^2/194 = 5 x 10^9 node visits
        // (hours under TCG); stress is suspended for the other 950,000 nodes.
        uint stress = GarbageCollector.Statistics.StressInterval;
        int underStress = ScaledUnderStress(1_000_000, 50_000, "LinkedList_MillionNodes nodes made under stress");
        Node head = null;
        for (int i = 0; i < 1_000_000; i++)
        {
            if (i == underStress)
                GarbageCollector.SetStressInterval(0);
            head = new Node { Next = head, Value = i };
        }

        GarbageCollector.SetStressInterval(stress);

        // Under gc.stress every 97th allocation marks the whole 32 MiB list: 20,000 rounds of churn (40,200
        // allocations, 414 collections) per round took 345 s under TCG for the three rounds. Under stress the
        // churn is scaled to about ten stress collections per round, and the test says so on serial.
        int churn = ScaledUnderStress(20_000, 1_000, "LinkedList_MillionNodes churn per round");
        for (int round = 0; round < 3; round++)
        {
            Assert.True(GarbageCollector.Collect(), "the collection ran");
            Assert.True(GarbageCollector.LastCounts.MarkedObjects >= 1_000_000, "every node was marked (" + GarbageCollector.LastCounts.MarkedObjects.ToString() + ")");
            Churn(churn);
        }

        long sum = 0;
        int count = 0;
        for (Node n = head; n != null; n = n.Next)
        {
            sum += n.Value;
            count++;
        }

        Assert.Equal(1_000_000, count);
        Assert.Equal(999_999L * 1_000_000 / 2, sum);
    }

    [KernelTest(Suite = Suite)]
    public static void DeepTree_SurvivesCollections_WithoutRecursion()
    {
        // Under gc.stress the balanced tree is built with stress on (a collection every 97th allocation while the
        // recursion holds half-built subtrees only in its frames and registers: about 675 collections of up to
        // 2.5 MiB), and so are the spine's first 20,000 nodes; the rest of the spine is made with stress
        // suspended (all of it under stress: 2,750 collections of a tree growing to 8.5 MiB).
        GcStatistics start = GarbageCollector.Statistics;
        uint stress = GarbageCollector.Statistics.StressInterval;
        TreeNode balanced = Build(16, 1);
        int spineUnderStress = ScaledUnderStress(200_000, 20_000, "DeepTree spine nodes made under stress");
        TreeNode spine = null;
        for (int i = 0; i < 200_000; i++)
        {
            if (i == spineUnderStress)
                GarbageCollector.SetStressInterval(0);
            spine = new TreeNode { Left = spine, Right = i % 3 == 0 ? new TreeNode { Value = i } : null, Value = i };
        }

        GarbageCollector.SetStressInterval(stress);

        // Under gc.stress every 97th allocation marks the 8.5 MiB of the two trees: 2 x 10,000 rounds of churn
        // (414 stress collections) took 37 s under TCG; scaled to about ten per round, and said on serial.
        int churn = ScaledUnderStress(10_000, 500, "DeepTree churn per round");
        long before = Checksum(balanced);
        for (int round = 0; round < 2; round++)
        {
            GarbageCollector.Collect();
            Churn(churn);
        }

        Assert.Equal(before, Checksum(balanced));
        long spineSum = 0;
        int depth = 0;
        for (TreeNode n = spine; n != null; n = n.Left)
        {
            spineSum += n.Value + (n.Right?.Value ?? 0);
            depth++;
        }

        Assert.Equal(200_000, depth);
        Assert.True(spineSum > 0);
        ReportUnderStress("DeepTree", start);
    }

    private static TreeNode Build(int depth, int value)
        => depth == 0 ? null : new TreeNode { Value = value, Left = Build(depth - 1, value * 2), Right = Build(depth - 1, (value * 2) + 1) };

    private static long Checksum(TreeNode root)
    {
        long sum = 0;
        var stack = new TreeNode[64];
        int top = 0;
        stack[top++] = root;
        while (top > 0)
        {
            TreeNode n = stack[--top];
            if (n == null)
                continue;
            sum = (sum * 31) + n.Value;
            stack[top++] = n.Left;
            stack[top++] = n.Right;
        }

        return sum;
    }

    [KernelTest(Suite = Suite)]
    public static void ArraysOfStructsWithReferences_SurviveCollections()
    {
        var pairs = new Pair[1000];
        for (int i = 0; i < pairs.Length; i++)
            pairs[i] = new Pair { First = new Node { Value = i }, Number = i * 7L, Second = "s" + i.ToString() };
        GarbageCollector.Collect();
        Churn(ChurnBetweenCollections("ArraysOfStructs", rounds: 500));
        GarbageCollector.Collect();
        for (int i = 0; i < pairs.Length; i++)
        {
            Assert.Equal(i, ((Node)pairs[i].First).Value);
            Assert.Equal(i * 7L, pairs[i].Number);
            Assert.Equal("s" + i.ToString(), pairs[i].Second);
        }
    }

    // ---------------------------------------------------------------- garbage that must go

    [KernelTest(Suite = Suite)]
    public static void Cycles_AreCollected()
    {
        GarbageCollector.Collect();
        ulong recordedBefore = GarbageCollector.RecordedObjects;
        long allocatedBefore = GC.GetTotalAllocatedBytes();
        MakeCycles(1000);
        // Counted as allocated, not as recorded: under gc.stress some cycles are collected while they are made.
        Assert.True(GC.GetTotalAllocatedBytes() - allocatedBefore >= 3000 * 24, "the cycles were allocated");
        GarbageCollector.Collect();
        ulong left = GarbageCollector.RecordedObjects - recordedBefore;

        // Conservative stack words may keep a cycle or two; a thousand cycles must not stay.
        Assert.True(left <= 30, left.ToString() + " objects of 3000 in cycles survived");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void MakeCycles(int count)
    {
        for (int i = 0; i < count; i++)
        {
            var a = new Node { Value = i };
            var b = new Node { Next = a };
            a.Next = new Node { Next = b };
        }
    }

    [KernelTest(Suite = Suite)]
    public static void Strings_BuiltInALoop_AreReclaimed()
    {
        GarbageCollector.Collect();
        ulong freedBefore = GarbageCollector.Statistics.FreedBytes;
        ulong heapBefore = KernelHeap.Statistics.Size;
        int length = 0;
        for (int i = 0; i < 20_000; i++)
        {
            string s = "line " + i.ToString() + ": " + new string('x', i % 200);
            length += s.Length;
        }

        GarbageCollector.Collect();
        ulong freed = GarbageCollector.Statistics.FreedBytes - freedBefore;
        Assert.True(length > 2_000_000, "the strings were built");
        Assert.True(freed >= (ulong)length, "at least " + (length >> 10).ToString() + " KiB of strings freed, got " + (freed >> 10).ToString() + " KiB");
        Assert.True(KernelHeap.Statistics.Size <= heapBefore + (4UL << 20), "the heap stayed about the same size");
    }

    // ---------------------------------------------------------------- roots

    [KernelTest(Suite = Suite)]
    public static void Statics_KeepTheirObjects()
    {
        s_staticList = new Node { Value = 10, Next = new Node { Value = 20 } };
        s_staticArray = new object[] { new Node { Value = 30 }, "text", 40 };
        GarbageCollector.Collect();
        Churn(ChurnBetweenCollections("Statics"));
        GarbageCollector.Collect();
        Assert.True(GarbageCollector.IsHeapObject(s_staticList), "the static refers to a heap object");
        Assert.Equal(10, s_staticList.Value);
        Assert.Equal(20, s_staticList.Next.Value);
        Assert.Equal(30, ((Node)s_staticArray[0]).Value);
        Assert.Equal("text", (string)s_staticArray[1]);
        Assert.Equal(40, (int)s_staticArray[2]);
        s_staticList = null;
        s_staticArray = null;
    }

    [KernelTest(Suite = Suite)]
    public static void FrozenArray_KeepsAHeapStringStoredIntoIt()
    {
        string original = s_frozenNames[1];
        s_frozenNames[1] = "heap " + 42.ToString();
        GarbageCollector.Collect();
        Churn(ChurnBetweenCollections("FrozenArray"));
        GarbageCollector.Collect();
        Assert.Equal("heap 42", s_frozenNames[1]);
        s_frozenNames[1] = original;
    }

    [KernelTest(Suite = Suite)]
    public static void Local_SurvivesACollectionInTheMiddleOfItsMethod()
    {
        var local = new Node { Value = 0x1234, Next = new Node { Value = 0x5678 } };
        nuint address = GarbageCollector.AddressOf(local);
        GC.Collect();
        Churn(ChurnBetweenCollections("Local"));
        GC.Collect();
        Assert.True(GarbageCollector.IsHeapObject(local), "still a recorded heap object");
        Assert.True(GarbageCollector.AddressOf(local) == address, "non-moving");
        Assert.Equal(0x1234, local.Value);
        Assert.Equal(0x5678, local.Next.Value);
        GC.KeepAlive(local);
    }

    // ---------------------------------------------------------------- triggers and the API

    [KernelTest(Suite = Suite)]
    public static void GcApi_CountsCollectionsAndBytes()
    {
        int count = GC.CollectionCount(0);
        long allocated = GC.GetTotalAllocatedBytes();
        var kept = new byte[100_000];
        long live = GC.GetTotalMemory(forceFullCollection: true);
        Assert.True(GC.CollectionCount(0) >= count + 1, "GetTotalMemory(true) collected");
        Assert.Equal(0, GC.CollectionCount(1));
        Assert.Equal(0, GC.MaxGeneration);
        Assert.True(GC.GetTotalAllocatedBytes() >= allocated + 100_000, "allocated bytes count the array");
        Assert.True(live >= 100_000 && (ulong)live == GarbageCollector.Statistics.LiveBytes, "live bytes include the array");
        GC.KeepAlive(kept);
        string line = GarbageCollector.Statistics.Describe();
        Assert.True(line.Contains("collections ") && line.Contains("longest"), line);
    }

    [KernelTest(Suite = Suite)]
    public static void CollectionWithInterruptsOff_IsDeferredToTheNextAllocation()
    {
        ulong before = GarbageCollector.Statistics.Collections;
        ulong deferred = GarbageCollector.Statistics.DeferredCollections;
        using (Cpu.DisableInterruptsScoped())
        {
            Assert.False(GarbageCollector.Collect(), "no collection with interrupts off");
            Assert.Equal(before, GarbageCollector.Statistics.Collections);
        }

        Assert.Equal(deferred + 1, GarbageCollector.Statistics.DeferredCollections);
        Consume(new Node());
        Assert.True(GarbageCollector.Statistics.Collections > before, "the deferred collection ran at the next allocation");
    }

    [KernelTest(Suite = Suite)]
    public static void Churn_OneGibibyteOfArrays_StaysInASmallHeap()
    {
        ulong heapBefore = KernelHeap.Statistics.Size;
        ulong collections = GarbageCollector.Statistics.Collections;
        ulong total = 0;
        int round = 0;
        object[] window = new object[8];
        while (total < (1UL << 30))
        {
            int size = 1024 + ((round * 7919) % 64) * 1024;
            window[round % window.Length] = new byte[size];
            total += (ulong)size;
            round++;
        }

        ulong heapAfter = KernelHeap.Statistics.Size;
        Assert.True(heapAfter <= heapBefore + (4UL << 20), "the heap grew from " + (heapBefore >> 10).ToString() + " KiB to " + (heapAfter >> 10).ToString() + " KiB during 1 GiB of churn");
        Assert.True(heapAfter < GarbageCollector.HeapGrowthTrigger, "the heap ends below its growth trigger");
        Assert.True(GarbageCollector.Statistics.Collections > collections + 100, "the churn was collected");
        GC.KeepAlive(window);
    }

    // ---------------------------------------------------------------- GCDesc against real field addresses

    [KernelTest(Suite = Suite)]
    public static void GcDesc_VisitsExactlyTheReferenceFields()
    {
        var mixed = new Mixed { A = 1, C = 2 };
        nuint obj = GarbageCollector.AddressOf(mixed);
        var expected = new nuint[]
        {
            FieldOffset(ref Unsafe.As<object, byte>(ref mixed.B), obj),
            FieldOffset(ref Unsafe.As<string, byte>(ref mixed.D), obj),
            FieldOffset(ref Unsafe.As<object, byte>(ref mixed.E.First), obj),
            FieldOffset(ref Unsafe.As<string, byte>(ref mixed.E.Second), obj),
        };
        AssertVisits(obj, expected);

        var pairs = new Pair[3];
        nuint array = GarbageCollector.AddressOf(pairs);
        var pairSlots = new nuint[6];
        for (int i = 0; i < 3; i++)
        {
            pairSlots[2 * i] = FieldOffset(ref Unsafe.As<object, byte>(ref pairs[i].First), array);
            pairSlots[(2 * i) + 1] = FieldOffset(ref Unsafe.As<string, byte>(ref pairs[i].Second), array);
        }

        AssertVisits(array, pairSlots);

        var references = new object[5];
        var referenceSlots = new nuint[5];
        for (int i = 0; i < 5; i++)
            referenceSlots[i] = FieldOffset(ref Unsafe.As<object, byte>(ref references[i]), GarbageCollector.AddressOf(references));
        AssertVisits(GarbageCollector.AddressOf(references), referenceSlots);
        AssertVisits(GarbageCollector.AddressOf("a string"), new nuint[0]);
        AssertVisits(GarbageCollector.AddressOf(new int[4]), new nuint[0]);
        GC.KeepAlive(mixed);
        GC.KeepAlive(pairs);
        GC.KeepAlive(references);
    }

    private static nuint FieldOffset(ref byte field, nuint obj) => (nuint)Unsafe.AsPointer(ref field) - obj;

    private struct OffsetRecorder : IReferenceVisitor
    {
        public nuint Object;
        public nuint* Offsets;
        public int Count;

        public void Visit(nuint* slot)
        {
            if (Count < 16)
                Offsets[Count] = (nuint)slot - Object;
            Count++;
        }
    }

    private static void AssertVisits(nuint obj, nuint[] expected)
    {
        nuint* offsets = stackalloc nuint[16];
        var recorder = new OffsetRecorder { Object = obj, Offsets = offsets };
        GcDesc.VisitReferences(obj, ref recorder);
        Assert.Equal(expected.Length, recorder.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            bool found = false;
            for (int j = 0; j < recorder.Count; j++)
                found |= offsets[j] == expected[i];
            Assert.True(found, "reference field at offset " + ((ulong)expected[i]).ToString() + " was visited");
        }
    }

    // ---------------------------------------------------------------- figures for tests/Bench (GcBenchmarks)

    [KernelTest(Suite = Suite)]
    public static void Bench_PauseAndAllocation()
    {
        uint stress = GarbageCollector.Statistics.StressInterval;
        GarbageCollector.SetStressInterval(0);
        Node head = null;
        for (int i = 0; i < 200_000; i++)
            head = new Node { Next = head, Value = i };
        ulong bestPause = ulong.MaxValue;
        for (int round = 0; round < 3; round++)
        {
            GarbageCollector.Collect();
            ulong pause = GarbageCollector.Statistics.LastPauseCycles;
            bestPause = pause < bestPause ? pause : bestPause;
        }

        ulong liveBytes = GarbageCollector.LastCounts.MarkedBytes;
        ulong pausePerMiB = TimeStampCounter.ToMicroseconds(bestPause) * (1UL << 20) / liveBytes;

        const int Count = 200_000;
        GcStatistics before = GarbageCollector.Statistics;
        ulong start = Cpu.ReadTimeStampCounter();
        for (int i = 0; i < Count; i++)
            Consume(new Node { Value = i });
        ulong collecting = Cpu.ReadTimeStampCounter() - start;
        GcStatistics after = GarbageCollector.Statistics;

        nuint methodTable = *(nuint*)GarbageCollector.AddressOf(head);
        byte* arena = (byte*)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)Count * 32);
        start = Cpu.ReadTimeStampCounter();
        for (int i = 0; i < Count; i++)
        {
            byte* block = arena + (32 * i);
            System.Runtime.InteropServices.NativeMemory.Clear(block, 32);
            *(nuint*)(block + 8) = methodTable;
            *(int*)(block + 24) = i;
        }

        ulong bump = Cpu.ReadTimeStampCounter() - start;
        System.Runtime.InteropServices.NativeMemory.Free(arena);
        GarbageCollector.SetStressInterval(stress);

        Diagnostics.KernelLog.WriteLine("[bench] gc-pause-us-per-mib " + pausePerMiB.ToString());
        Diagnostics.KernelLog.WriteLine("[bench] gc-live-kib " + (liveBytes >> 10).ToString());
        Diagnostics.KernelLog.WriteLine("[bench] gc-alloc-ns-collecting " + (TimeStampCounter.ToNanoseconds(collecting) / Count).ToString());
        Diagnostics.KernelLog.WriteLine("[bench] gc-alloc-ns-bump " + (TimeStampCounter.ToNanoseconds(bump) / Count).ToString());
        Diagnostics.KernelLog.WriteLine("[bench] gc-alloc-collections " + (after.Collections - before.Collections).ToString());
        Diagnostics.KernelLog.WriteLine("[bench] gc-alloc-pause-ns-per-object " + (TimeStampCounter.ToNanoseconds(after.TotalPauseCycles - before.TotalPauseCycles) / Count).ToString());
        Assert.True(liveBytes >= 200_000UL * 32, "the list was live");
        GC.KeepAlive(head);
    }

    // A workload size for a test whose stress collections would take minutes: `normal` without gc.stress (or
    // with an interval above `atOrBelow`); under stress `stressed`, printed as a "[gc-stress] scaled" line so the boot test (and a reader
    // of the log) sees exactly what ran. The stress interval itself is never changed by this.
    private static int ScaledUnderStress(int normal, int stressed, string what, uint atOrBelow = 1000)
    {
        uint stress = GarbageCollector.Statistics.StressInterval;
        if (stress == 0 || stress > atOrBelow)
            return normal;
        Diagnostics.KernelLog.WriteLine("[gc-stress] scaled " + what + " from " + normal.ToString() + " to " + stressed.ToString()
            + " (gc.stress = " + stress.ToString() + ")");
        return stressed;
    }

    // The garbage between the two collections of the survival tests: 50,000 rounds of churn are 100,500
    // allocations, under gc.stress = 1 as many full collections (224 s under TCG for one test at a load average
    // of 20). There a test with a small live set churns 5,000 rounds (10,050 collections, about 1.5 s at a load
    // of 6); ArraysOfStructs, whose 1,000 pairs (3,000 objects) every collection marks, 500 (2.6 s). The scaling
    // is said on serial.
    private static int ChurnBetweenCollections(string test, int rounds = 5_000) => ScaledUnderStress(50_000, rounds, test + " churn", atOrBelow: 1);

    // Under gc.stress, what a test's collections cost: "[gc-stress] <what>: N collections, P ms of pause".
    private static void ReportUnderStress(string what, GcStatistics start)
    {
        GcStatistics now = GarbageCollector.Statistics;
        if (now.StressInterval == 0)
            return;
        Diagnostics.KernelLog.WriteLine("[gc-stress] " + what + ": " + (now.Collections - start.Collections).ToString() + " collections, "
            + (TimeStampCounter.ToMicroseconds(now.TotalPauseCycles - start.TotalPauseCycles) / 1000).ToString() + " ms of pause");
    }

    // Garbage of assorted sizes, so that freed memory is reused and damage to live objects would show.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Churn(int count)
    {
        for (int i = 0; i < count; i++)
        {
            var node = new Node { Value = -1, Next = new Node { Value = -2 } };
            Consume(node);
            if (i % 100 == 0)
                Consume(new int[i % 500]);
        }
    }
}
