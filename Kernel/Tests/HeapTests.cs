// The kernel heap at work, in the spirit of the blog's heap_allocation tests:
// simple allocation, a large List, many short-lived boxes (more in total than
// the heap's initial size: memory must be reused), many boxes beside a
// long-lived one (bump fails this by design: asserted as such), growth past
// the initial heap, allocation from an interrupt handler, the collector's
// queries and hook, and the cost of alloc+free per design (TSC cycles).
// They run in the main suite, so every `allocator` value runs them
// (tests/Boot.Tests/HeapAllocatorTests boots the main suite under each).
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Kernel.Arch;
using Kernel.Diagnostics;
using Kernel.Interrupts;
using Kernel.Memory.Heap;
using Kernel.Testing;
using Shared.Boot;
using Shared.Memory.Heap;

namespace Kernel.Tests;

internal static unsafe class HeapTests
{
    private static ulong s_handlerBlock;
    private static ulong s_handlerInterruptsOff;
    private static nuint s_collectorSize;
    private static int s_collectorCalls;

    [KernelTest]
    public static void Heap_SimpleAllocation()
    {
        object first = 41;
        object second = 13;
        Assert.Equal(41L, (int)first);
        Assert.Equal(13L, (int)second);
        void* start;
        nuint size;
        void* reference = *(void**)Unsafe.AsPointer(ref first); // points 8 bytes into its block (after the header)
        Assert.True(KernelHeap.TryFindLiveBlock(reference, out start, out size), "a boxed int lives in the heap");
        Assert.True((byte*)start + 8 == (byte*)reference, "the block starts at the object header");
        Assert.True(size >= 24, "the box's block holds header, MethodTable and value");
    }

    [KernelTest]
    public static void Heap_LargeVec()
    {
        const int N = 1000;
        var list = new List<long>();
        for (long i = 0; i < N; i++)
            list.Add(i);
        long sum = 0;
        foreach (long value in list)
            sum += value;
        Assert.Equal((long)(N - 1) * N / 2, sum);
    }

    [KernelTest]
    public static void Heap_ManyBoxes_ExplicitFree_ReuseMemory()
    {
        const int Count = 40_000; // 40,000 x 64 bytes: 2.5 times the initial heap
        ulong sizeBefore = KernelHeap.Statistics.Size;
        for (int i = 0; i < Count; i++)
        {
            long* box = (long*)NativeMemory.Alloc(64);
            box[0] = i;
            box[7] = ~i;
            Assert.True(box[0] == i && box[7] == ~i);
            NativeMemory.Free(box);
        }

        ulong grown = KernelHeap.Statistics.Size - sizeBefore;
        if (KernelHeap.Design == AllocatorKind.Bump)
            Assert.True(grown >= 1UL << 20, "bump cannot reuse while older blocks live: the heap must have grown");
        else
            Assert.True(grown <= 256UL << 10, "freed blocks were not reused (the heap grew by " + grown.ToString() + " bytes)");
    }

    [KernelTest]
    public static void Heap_ManyBoxes_LongLived()
    {
        const int Count = 40_000;
        long* longLived = (long*)NativeMemory.Alloc(8);
        *longLived = 1234;
        ulong sizeBefore = KernelHeap.Statistics.Size;
        for (int i = 0; i < Count; i++)
        {
            long* box = (long*)NativeMemory.Alloc(64);
            *box = i;
            NativeMemory.Free(box);
        }

        Assert.Equal(1234L, *longLived);
        NativeMemory.Free(longLived);
        ulong grown = KernelHeap.Statistics.Size - sizeBefore;
        if (KernelHeap.Design == AllocatorKind.Bump)
            Assert.True(grown >= 1UL << 20, "bump fails many_boxes_long_lived by design: one live block pins the rest");
        else
            Assert.True(grown <= 256UL << 10, "a long-lived block stopped reuse (the heap grew by " + grown.ToString() + " bytes)");
    }

    [KernelTest]
    public static void Heap_GrowsPastItsInitialSize()
    {
        // More live at once than the heap has free now (earlier tests may have grown it), and at least 3 MiB.
        const int BlockBytes = 64 << 10;
        HeapStatistics before = KernelHeap.Statistics;
        ulong target = before.Free + (2UL << 20);
        if (target < 3UL << 20)
            target = 3UL << 20;
        int count = (int)(target / BlockBytes) + 1;
        byte** blocks = (byte**)NativeMemory.Alloc((nuint)count, (nuint)sizeof(byte*));
        for (int i = 0; i < count; i++)
        {
            blocks[i] = (byte*)NativeMemory.Alloc(BlockBytes);
            NativeMemory.Fill(blocks[i], BlockBytes, (byte)i);
        }

        HeapStatistics after = KernelHeap.Statistics;
        Assert.True(after.Size > KernelHeap.InitialBytes + (2UL << 20), "3 MiB live needs more than the initial 1 MiB");
        Assert.True(after.Growths > before.Growths, "the heap region grew");
        Assert.True(after.Size > before.Size, "the heap is larger than before");
        for (int i = 0; i < count; i++)
        {
            Assert.True(blocks[i][0] == (byte)i && blocks[i][BlockBytes - 1] == (byte)i, "contents intact after growth");
            NativeMemory.Free(blocks[i]);
        }

        NativeMemory.Free(blocks);
        Assert.Null(KernelHeap.Validate());
    }

    // docs/heap.md: allocation from an interrupt handler is made safe (the heap's lock disables interrupts).
    [KernelTest]
    public static void Heap_AllocationFromAnInterruptHandler_Works()
    {
        byte vector = FreeVector();
        InterruptDispatcher.Register(vector, &AllocateInHandler);
        ulong allocations = KernelHeap.Statistics.Allocations;
        NativeInterrupts.SoftwareInterrupt(vector);
        InterruptDispatcher.Unregister(vector);

        Assert.True(s_handlerBlock != 0, "the handler's allocation succeeded");
        Assert.Equal(1UL, s_handlerInterruptsOff);
        Assert.True(KernelHeap.Statistics.Allocations >= allocations + 2, "both the handler's allocations went through the heap");
        Assert.False(KernelHeap.TryFindLiveBlock((void*)s_handlerBlock, out _, out _), "the handler freed its block");
    }

    private static void AllocateInHandler(InterruptFrame* frame)
    {
        s_handlerInterruptsOff = Cpu.InterruptsEnabled ? 0UL : 1UL;
        byte* block = (byte*)NativeMemory.Alloc(200);
        long* other = (long*)NativeMemory.AllocZeroed(3000);
        block[199] = 7;
        other[374] = block[199];
        s_handlerBlock = other[374] == 7 ? (ulong)block : 0;
        NativeMemory.Free(other);
        NativeMemory.Free(block);
    }

    [KernelTest]
    public static void Heap_LiveBlockQueries_FindInteriorPointersAndEnumerate()
    {
        byte* block = (byte*)NativeMemory.Alloc(300);
        Assert.True(KernelHeap.TryFindLiveBlock(block + 299, out void* start, out nuint size));
        Assert.True(start == block && size >= 300, "an interior pointer leads to the block's start");
        Assert.True(KernelHeap.UsableSize(block) == size);

        bool seen = false;
        nuint cursor = 0;
        ulong count = 0;
        while (KernelHeap.NextLiveBlock(ref cursor, out void* live, out _))
        {
            seen |= live == block;
            count++;
        }

        Assert.True(seen, "enumeration finds the block");
        Assert.Equal(KernelHeap.Statistics.LiveBlocks, count);
        NativeMemory.Free(block);
        Assert.False(KernelHeap.TryFindLiveBlock(block, out _, out _), "a freed block is no longer live");
    }

    [KernelTest]
    public static void Heap_Collector_IsAskedBeforeTheHeapGrows()
    {
        s_collectorCalls = 0;
        KernelHeap.SetCollector(&RecordCollection);
        nuint request = (nuint)KernelHeap.Statistics.LargestFree + (256 << 10);
        void* block = NativeMemory.Alloc(request);
        KernelHeap.SetCollector(null);

        Assert.Equal(1L, s_collectorCalls);
        Assert.True(s_collectorSize >= request, "the collector was told the size asked for");
        Assert.True(KernelHeap.GrowthSinceLastCollection >= request, "growth after the collection is counted from zero");
        NativeMemory.Free(block);
    }

    private static bool RecordCollection(nuint size)
    {
        s_collectorCalls++;
        s_collectorSize = size;
        return false;
    }

    [KernelTest]
    public static void Heap_Realloc_KeepsContents()
    {
        byte* block = (byte*)NativeMemory.Alloc(100);
        for (int i = 0; i < 100; i++)
            block[i] = (byte)i;
        block = (byte*)NativeMemory.Realloc(block, 5000);
        for (int i = 0; i < 100; i++)
            Assert.True(block[i] == (byte)i, "realloc kept the first 100 bytes");
        byte* aligned = (byte*)NativeMemory.AlignedAlloc(256, 4096);
        Assert.Equal(0UL, (ulong)aligned & 4095);
        NativeMemory.AlignedFree(aligned);
        NativeMemory.Free(block);
        byte* zeroed = (byte*)NativeMemory.AllocZeroed(512);
        for (int i = 0; i < 512; i++)
            Assert.True(zeroed[i] == 0, "AllocZeroed zeroes");
        NativeMemory.Free(zeroed);
    }

    [KernelTest(ExpectedPanic = "which is not a live heap block")]
    public static void Heap_DoubleFree_PanicsWithAddressAndCaller()
    {
        void* block = NativeMemory.Alloc(32);
        NativeMemory.Free(block);
        NativeMemory.Free(block);
        Assert.Fail("the second free was not reported"); // also keeps the free from being a tail call: the report names this test
    }

    // Prints TSC cycles per alloc+free pair for each design over a scratch region, and for the kernel
    // heap itself (lock, bitmap, statistics included). The figure is the fastest of 40 batches of 500
    // pairs: the TSC counts wall time, and a QEMU thread descheduled by a busy host inflates a batch,
    // never shrinks one. tests/Bench reads the lines; nothing here asserts on time.
    [KernelTest]
    public static void Heap_AllocFreeCost_IsMeasured()
    {
        const nuint Scratch = 1 << 20;
        byte* region = (byte*)NativeMemory.AlignedAlloc(Scratch, 4096);
        // The last round is TLSF's core without its front cache (the fixed-size block's fallback), as "tlsf-core".
        foreach (AllocatorKind kind in new[] { AllocatorKind.Bump, AllocatorKind.LinkedList, AllocatorKind.FixedSizeBlock, AllocatorKind.Tlsf, AllocatorKind.Default })
        {
            bool core = kind == AllocatorKind.Default;
            var heap = core ? new HeapEngine(AllocatorKind.Tlsf, tlsfFrontCache: false) : new HeapEngine(kind);
            Assert.True(heap.Initialize(region, Scratch));
            void* keep = kind == AllocatorKind.Bump ? null : heap.Allocate(40, 8); // something live, as in a real heap (bump would never reset)
            foreach (nuint size in new nuint[] { 16, 64, 256 })
            {
                ulong best = ulong.MaxValue;
                for (int batch = 0; batch < Batches; batch++)
                {
                    ulong start = Cpu.ReadTimeStampCounter();
                    for (int i = 0; i < BatchRounds; i++)
                        heap.Free(heap.Allocate(size, 8));
                    ulong cycles = Cpu.ReadTimeStampCounter() - start;
                    best = cycles < best ? cycles : best;
                }

                KernelLog.WriteLine("[bench] heap-" + heap.Name + (core ? "-core-" : "-") + ((ulong)size).ToString() + " " + (best / BatchRounds).ToString());
            }

            if (keep != null)
                heap.Free(keep);
            Assert.Null(heap.Validate());
        }

        NativeMemory.AlignedFree(region);
        ulong fastest = ulong.MaxValue;
        for (int batch = 0; batch < Batches; batch++)
        {
            ulong begin = Cpu.ReadTimeStampCounter();
            for (int i = 0; i < BatchRounds; i++)
                NativeMemory.Free(NativeMemory.Alloc(64));
            ulong cycles = Cpu.ReadTimeStampCounter() - begin;
            fastest = cycles < fastest ? cycles : fastest;
        }

        KernelLog.WriteLine("[bench] heap-kernel-" + KernelHeap.DesignName + "-64 " + (fastest / BatchRounds).ToString());

        // Where the kernel heap's cost over the bare design goes, piece by piece (per alloc+free pair).
        KernelLog.WriteLine("[bench] heap-part-kernelheap-64 " + BestOf(&KernelHeapPairs).ToString());
        s_benchLock = new Kernel.Sync.SpinLock("bench");
        KernelLog.WriteLine("[bench] heap-part-lock " + BestOf(&LockPairs).ToString());
        KernelLog.WriteLine("[bench] heap-part-interrupts-popf " + BestOf(&InterruptGuardPairs).ToString());
        KernelLog.WriteLine("[bench] heap-part-interrupts-sti " + BestOf(&StiPairs).ToString());
        ulong* bits = stackalloc ulong[64];
        for (int i = 0; i < 64; i++)
            bits[i] = 0;
        s_benchMap = new LiveBlockMap(bits, 0x10000, 64 * 64 * LiveBlockMap.Granule);
        KernelLog.WriteLine("[bench] heap-part-livemap " + BestOf(&LiveMapPairs).ToString());
    }

    private static Kernel.Sync.SpinLock s_benchLock;
    private static LiveBlockMap s_benchMap;

    private static void KernelHeapPairs()
    {
        for (int i = 0; i < BatchRounds; i++)
            KernelHeap.Free(KernelHeap.Allocate(64, 8));
    }

    // Two lock round trips: what one allocation plus one free pay for locking.
    private static void LockPairs()
    {
        for (int i = 0; i < 2 * BatchRounds; i++)
        {
            using (s_benchLock.Acquire())
            {
            }
        }
    }

    // The guard the lock uses: pushfq/cli, then popfq.
    private static void InterruptGuardPairs()
    {
        for (int i = 0; i < 2 * BatchRounds; i++)
            Cpu.DisableInterruptsScoped().Dispose();
    }

    // The alternative: restore with sti only when interrupts were on (slower under TCG, so not used).
    private static void StiPairs()
    {
        for (int i = 0; i < 2 * BatchRounds; i++)
        {
            if ((Native.SaveFlagsAndDisableInterrupts() & (1UL << 9)) != 0)
                Native.EnableInterrupts();
        }
    }

    private static void LiveMapPairs()
    {
        for (int i = 0; i < BatchRounds; i++)
        {
            s_benchMap.Set(0x10040);
            s_benchMap.Clear(0x10040);
        }
    }

    // Cycles per round (BatchRounds rounds per call) of the fastest of Batches calls.
    private static ulong BestOf(delegate*<void> rounds)
    {
        ulong best = ulong.MaxValue;
        for (int batch = 0; batch < Batches; batch++)
        {
            ulong begin = Cpu.ReadTimeStampCounter();
            rounds();
            ulong cycles = Cpu.ReadTimeStampCounter() - begin;
            best = cycles < best ? cycles : best;
        }

        return best / BatchRounds;
    }

    private const int Batches = 40;
    private const int BatchRounds = 500;

    private static byte FreeVector()
    {
        for (int vector = 0x80; vector < 0xE0; vector++)
        {
            if (!InterruptDispatcher.IsRegistered((byte)vector))
                return (byte)vector;
        }

        Assert.Fail("no free interrupt vector for the test");
        return 0;
    }

    // ---------------------------------------------------------------- heap.debug = on (suite config-heap-debug)
    // Booted only by tests/Boot.Tests/HeapAllocatorTests with "heap.debug = on"; the suite runs in name order
    // and its last test ends the kernel with the canary report.

    private const string DebugSuite = "config-heap-debug";

    [KernelTest(Suite = DebugSuite)]
    public static void HeapDebug_A_FreedMemoryIsPoisoned_AndUsableSizeIsTheRequest()
    {
        Assert.True(KernelHeap.DebugMode, "this suite needs heap.debug = on");
        byte* block = (byte*)NativeMemory.Alloc(40);
        Assert.True(KernelHeap.UsableSize(block) == 40, "debug mode reports exactly the request");
        for (int i = 0; i < 40; i++)
            block[i] = 0x11;
        NativeMemory.Free(block);
        // The first 16 bytes may hold the design's own free-list links once the block is free.
        for (int i = 16; i < 40; i++)
            Assert.True(block[i] == 0xDD, "freed memory is poisoned with 0xDD");
        Assert.Null(KernelHeap.Validate());
    }

    [KernelTest(Suite = DebugSuite)]
    public static void HeapDebug_Z_OverrunIsReportedOnFree()
    {
        byte* block = (byte*)NativeMemory.Alloc(24);
        block[24] = 0x42; // one byte past the request: into the canary
        NativeMemory.Free(block);
        Assert.Fail("the overrun was not reported");
    }

    // ---------------------------------------------------------------- heap.max = 8M (suite config-heap-oom)
    // Booted only by tests/Boot.Tests/HeapAllocatorTests with "heap.max = 8M": keeps 1 MiB arrays alive until
    // the heap cannot grow; the kernel must panic naming the size, the heap's size, free bytes and largest block.

    [KernelTest(Suite = "config-heap-oom")]
    public static void HeapOom_ExhaustingTheMaximum_PanicsWithTheNumbers()
    {
        Assert.True(KernelHeap.Statistics.Maximum <= 8UL << 20, "this suite needs heap.max = 8M");
        var kept = new List<byte[]>();
        for (int i = 0; i < 64; i++)
            kept.Add(new byte[1 << 20]);
        Assert.Fail("64 MiB fit in a heap of at most 8 MiB");
    }
}
