// The kernel's garbage collector: non-moving, stop-the-world mark-sweep over
// the objects in the kernel heap (Kernel.Memory.Heap.KernelHeap). The
// algorithm is Shared/Gc's (host-tested); this file supplies what only the
// kernel has:
//   - the object allocator behind every `new` (installed into the runtime's
//     RuntimeAllocator): a heap block, zeroed, recorded in the object start
//     table, so the collector knows exactly which blocks are objects;
//   - when to collect: the heap cannot satisfy an allocation (KernelHeap calls
//     OnHeapExhausted before it grows) and either at least half the live
//     bytes (and 1 MiB) were allocated since the last collection or the heap
//     grew by half its size since then; GC.Collect(); every N-th allocation
//     with kernel.conf "gc.stress = N"; and, the heap at its maximum, always;
//   - the roots (GcRoots) and the conservative scan of the stack with the
//     callee-saved registers spilled (gc_spill_and_scan);
//   - stop-the-world: interrupts stay off for the whole collection, so no
//     interrupt handler can allocate while the table is swept.
// A collection never runs with interrupts off at the point it is asked for
// (in an interrupt handler, under a spinlock, during early start-up): it is
// deferred to the next allocation that runs with interrupts on.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Internal.Runtime;
using Kernel.Arch;
using Kernel.Diagnostics;
using Kernel.Memory.Heap;
using Shared.Boot;
using Shared.Gc;

namespace Kernel.Memory.Gc;

public enum CollectionReason
{
    HeapExhausted,
    HeapGrowth,
    Explicit,
    Stress,
}

public static unsafe class GarbageCollector
{
    /// <summary>Mark-stack slots (8 bytes each); deeper graphs fall back to rescanning the heap.</summary>
    public const int MarkStackCapacity = 16 * 1024;

    /// <summary>Growth since the last collection that triggers one, as a share of the heap's size then (1/2).</summary>
    public const int GrowthShareDivisor = 2;

    private const ulong MinimumGrowthTrigger = 1UL << 20;

    /// <summary>Bytes that must be allocated since the last collection before running out of heap collects again.</summary>
    public const ulong MinimumAllocationBudget = 1UL << 20;

    private static MarkSweepCollector s_collector;
    private static bool s_initialized;
    private static bool s_collecting;
    private static bool s_recording;
    private static bool s_pending;
    private static uint s_stressInterval;
    private static uint s_stressCounter;
    private static ulong s_growthTrigger;
    private static ulong s_liveBytes;
    private static ulong s_allocatedSinceCollection;
    private static ulong s_stackTop;
    private static ulong s_stackBottom;

    private static ulong s_collections;
    private static ulong s_lastPause;
    private static ulong s_longestPause;
    private static ulong s_totalPause;
    private static ulong s_freedObjects;
    private static ulong s_freedBytes;
    private static ulong s_deferred;
    private static CollectionCounts s_last;

    public static bool IsInitialized => s_initialized;

    /// <summary>
    /// Takes over object allocation from the early bump region: from now on every object lives in the kernel
    /// heap, recorded, and can be freed. Call right after KernelHeap.Initialize.
    /// </summary>
    public static void Initialize(in BootConfig config)
    {
        if (s_initialized)
            Panic.Fail("the garbage collector is initialized twice");
        if (!KernelHeap.IsInitialized)
            Panic.Fail("the garbage collector needs the kernel heap");

        GcRoots.Initialize();
        nuint heapStart = (nuint)HeapBacking.Start.Value;
        nuint capacity = (nuint)HeapBacking.MaximumBytes;
        void* directory = AllocateBookkeeping(ObjectStartTable.DirectoryBytes(capacity));
        s_collector.Objects.Initialize(heapStart, capacity, directory, &AllocateBookkeeping);
        s_collector.InitializeMarkStack((nuint*)AllocateBookkeeping((nuint)(MarkStackCapacity * sizeof(nuint))), MarkStackCapacity);

        s_stackBottom = KernelState.BootInfo->KernelStackBottom;
        s_stackTop = KernelState.BootInfo->KernelStackTop;
        s_stressInterval = config.GcStress;
        s_growthTrigger = HeapBacking.MappedBytes + MinimumGrowthTrigger;
        s_initialized = true;

        KernelHeap.SetCollector(&OnHeapExhausted);
        CollectorHooks.Install(&CollectFromRuntime, &LiveBytesForRuntime, &CollectionCountForRuntime);
        RuntimeAllocator.InstallObjectAllocator(&AllocateObject);
    }

    /// <summary>One line for the boot log.</summary>
    public static string Describe()
        => "mark-sweep, " + ((ulong)GcRoots.StaticCells).ToString() + " static roots, frozen segment "
            + ((ulong)GcRoots.FrozenBytes >> 10).ToString() + " KiB, early region " + ((ulong)(RuntimeAllocator.BumpRegionEnd - RuntimeAllocator.BumpRegionStart) >> 10).ToString()
            + " KiB" + (s_stressInterval != 0 ? ", stress every " + s_stressInterval.ToString() + " allocations" : string.Empty);

    /// <summary>Runs a full collection now; false when it had to be deferred (interrupts off, or already collecting).</summary>
    public static bool Collect() => TryCollect(CollectionReason.Explicit);

    /// <summary>Adds [start, end) as native memory that may hold references (scanned conservatively). False when the table is full.</summary>
    /// <remarks>The caller guarantees the range stays readable until RemoveRoots.</remarks>
    public static bool AddRoots(void* start, void* end) => GcRoots.AddRange(start, end);

    public static void RemoveRoots(void* start) => GcRoots.RemoveRange(start);

    /// <summary>True when <paramref name="obj"/> is a heap object the collector manages (false for early and frozen objects).</summary>
    public static bool IsHeapObject(object obj) => obj is not null && s_collector.Objects.Contains(AddressOf(obj));

    public static nuint AddressOf(object obj) => *(nuint*)Unsafe.AsPointer(ref obj);

    /// <summary>Heap objects recorded now.</summary>
    public static ulong RecordedObjects => s_collector.Objects.Count;

    public static CollectionCounts LastCounts => s_last;

    /// <summary>Heap size at which running out of heap collects even within the allocation budget (1.5 x the size at the last collection).</summary>
    public static ulong HeapGrowthTrigger => s_growthTrigger;

    public static nuint MarkStackHighWater => s_collector.MarkStackHighWater;

    public static GcStatistics Statistics => new()
    {
        Collections = s_collections,
        LastPauseCycles = s_lastPause,
        LongestPauseCycles = s_longestPause,
        TotalPauseCycles = s_totalPause,
        LiveBytes = s_liveBytes,
        RecordedObjects = s_collector.Objects.Count,
        LastMarkedObjects = s_last.MarkedObjects,
        LastMarkedBytes = s_last.MarkedBytes,
        LastFreedObjects = s_last.FreedObjects,
        LastFreedBytes = s_last.FreedBytes,
        FreedObjects = s_freedObjects,
        FreedBytes = s_freedBytes,
        LastConservativeHits = s_last.ConservativeHits,
        FinalizableObjects = RuntimeAllocator.FinalizableObjects,
        DeferredCollections = s_deferred,
        StressInterval = s_stressInterval,
    };

    /// <summary>Changes the stress interval at run time (tests): 0 turns stress off.</summary>
    public static void SetStressInterval(uint interval)
    {
        s_stressInterval = interval;
        s_stressCounter = 0;
    }

    // ---------------------------------------------------------------- allocation

    // Installed into RuntimeAllocator: memory for every object from now on.
    private static void* AllocateObject(nuint size)
    {
        if (s_stressInterval != 0 && ++s_stressCounter >= s_stressInterval)
        {
            s_stressCounter = 0;
            TryCollect(CollectionReason.Stress);
        }
        else if (s_pending)
        {
            TryCollect(CollectionReason.Explicit);
        }

        // May call OnHeapExhausted first: a collection then, before this block exists, is safe.
        byte* block = (byte*)KernelHeap.Allocate(size, 8);
        if (block == null && TryCollect(CollectionReason.HeapExhausted))
            block = (byte*)KernelHeap.Allocate(size, 8); // the heap is at its maximum: a last collection, whatever the budget
        if (block == null)
        {
            if (!KernelHeap.ReleaseEmergencyReserve())
                RuntimeFailure.Fail("System.OutOfMemoryException", "out of memory while reporting out of memory");
            KernelHeap.FailOutOfMemory(size, "; collector after a full collection: " + Statistics.Describe());
        }
        NativeMemory.Clear(block, size);

        // Recording may allocate a bitmap chunk: no collection may start in the middle. Interrupts off, so
        // that an interrupt handler's allocation (they should not, but a mistake must not lose a record)
        // cannot interleave with this read-modify-write of the table.
        bool recorded;
        s_recording = true;
        using (Cpu.DisableInterruptsScoped())
            recorded = s_collector.Objects.TryRecord((nuint)(block + ObjectLayout.HeaderSize));
        s_recording = false;
        if (!recorded)
            Panic.Fail("garbage collector: no memory to record the object at 0x" + ((ulong)block).ToString("X"));
        s_liveBytes += size;
        s_allocatedSinceCollection += size;
        return block;
    }

    // The table's directory, bitmap chunks and the mark stack: heap blocks that are not objects, never freed.
    private static void* AllocateBookkeeping(nuint size)
    {
        void* memory = KernelHeap.Allocate(size, 8);
        if (memory != null)
            NativeMemory.Clear(memory, size);
        return memory;
    }

    // KernelHeap's hook: called when an allocation cannot be satisfied, before the heap grows.
    private static bool OnHeapExhausted(nuint size)
    {
        if (s_recording)
            return false;

        // Collecting whenever a small heap runs out would mark the whole live set every few KiB of
        // allocation while it grows (quadratic). Collect only once the program allocated at least half of
        // what survived the last collection (and 1 MiB); until then, let the heap grow.
        // The other trigger: the heap grew by half its size since the last collection.
        ulong budget = s_last.MarkedBytes / 2 > MinimumAllocationBudget ? s_last.MarkedBytes / 2 : MinimumAllocationBudget;
        bool grown = HeapBacking.MappedBytes >= s_growthTrigger; // not KernelHeap.Statistics: it walks the design's counters under the lock
        if (s_allocatedSinceCollection < budget && !grown)
            return false;
        ulong freedBefore = s_freedBytes;
        bool ran = TryCollect(grown ? CollectionReason.HeapGrowth : CollectionReason.HeapExhausted);
        return ran && s_freedBytes > freedBefore;
    }

    // ---------------------------------------------------------------- collection

    private static bool TryCollect(CollectionReason reason)
    {
        if (!s_initialized || s_collecting)
            return false;
        ulong rsp = Cpu.StackPointer.Value;
        if (!Cpu.InterruptsEnabled || rsp < s_stackBottom || rsp >= s_stackTop)
        {
            // In an interrupt handler, under a spinlock, or on another stack: later, at an allocation.
            if (!s_pending)
                s_deferred++;
            s_pending = true;
            return false;
        }

        s_collecting = true;
        s_pending = false;
        ulong start = Cpu.ReadTimeStampCounter();
        using (Cpu.DisableInterruptsScoped())
        {
            s_collector.BeginMark();
            GcRoots.MarkStaticRoots(ref s_collector);
            GcNative.SpillAndScan(&ScanStack, null);
            s_collector.FinishMark();
            var heap = new KernelHeapAdapter();
            s_collector.Sweep(ref heap);
        }

        ulong pause = Cpu.ReadTimeStampCounter() - start;
        s_last = s_collector.Counts;
        s_collections++;
        s_lastPause = pause;
        s_totalPause += pause;
        if (pause > s_longestPause)
            s_longestPause = pause;
        s_freedObjects += s_last.FreedObjects;
        s_freedBytes += s_last.FreedBytes;
        s_liveBytes = s_last.MarkedBytes;
        s_allocatedSinceCollection = 0;
        if (s_last.StrayReferences != 0)
            Panic.Fail("garbage collector: " + s_last.StrayReferences.ToString() + " references point inside heap objects instead of at their start (heap corruption)");

        ulong heapBytes = HeapBacking.MappedBytes;
        s_growthTrigger = heapBytes + (heapBytes / GrowthShareDivisor > MinimumGrowthTrigger ? heapBytes / GrowthShareDivisor : MinimumGrowthTrigger);
        s_collecting = false;
        return true;
    }

    // Called by gc_spill_and_scan with the address of the spilled registers: everything from there to the
    // top of the kernel stack (the registers, then every frame above) is scanned conservatively.
    [UnmanagedCallersOnly]
    private static void ScanStack(nuint* lowest, void* context)
    {
        s_collector.ScanConservativeRange(lowest, (nuint*)s_stackTop);
    }

    private static void CollectFromRuntime() => TryCollect(CollectionReason.Explicit);

    private static ulong LiveBytesForRuntime() => s_liveBytes;

    private static ulong CollectionCountForRuntime() => s_collections;

    private readonly struct KernelHeapAdapter : IObjectHeap
    {
        public void FreeObjectBlocks(void** blocks, nuint* sizes, int count) => KernelHeap.FreeBatch(blocks, count);
    }
}
