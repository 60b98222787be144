// The kernel heap: the one allocator every `new`, every NativeMemory call and
// the garbage collector go through. It puts together
//   - the design chosen by kernel.conf "allocator" (Shared/Memory/Heap/HeapEngine),
//   - a live-block bitmap (Shared/Memory/Heap/LiveBlockMap) that answers the
//     collector's questions (which live block holds this address; enumerate
//     live blocks) and catches frees of pointers that are not live blocks,
//   - growth: when the design runs out, first the collector (if one is set and
//     interrupts are on), then more of the heap region (HeapBacking), in steps
//     of at least 64 KiB up to heap.max; only then does an allocation fail,
//   - interrupt safety: every operation runs under a spinlock that disables
//     interrupts, so an interrupt handler may allocate and free (it cannot
//     have interrupted a holder on this CPU; other CPUs wait),
//   - heap.debug: freed memory poisoned (0xDD), a canary after each block
//     checked on free, statistics and the design's own validation.
//
// Nothing in the locked paths allocates managed objects (that would re-enter
// the heap and deadlock on its own lock); messages are built after the lock
// is released.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Internal.Runtime;
using Kernel.Arch;
using Kernel.Diagnostics;
using Kernel.Interrupts;
using Kernel.Sync;
using Shared.Boot;
using Shared.Memory.Heap;

namespace Kernel.Memory.Heap;

public static unsafe class KernelHeap
{
    /// <summary>The heap's size right after start-up; it grows from there.</summary>
    public const ulong InitialBytes = 1UL << 20;

    /// <summary>Smallest growth step (the 64 KiB): fewer, larger steps keep the region's bookkeeping cheap.</summary>
    public const ulong MinimumGrowth = 64UL << 10;

    /// <summary>Size classes the statistics count allocations in: 8, 16, ... 2048 bytes, then "larger".</summary>
    public const int StatisticsClassCount = FixedSizeBlockHeap.ClassCount + 1;

    private const byte PoisonByte = 0xDD;
    private const byte CanaryByte = 0xCA;
    private const ulong CanaryMagic = 0xC0DE_CA7A_11C0_FFEEUL;

    // heap.debug appends this much to each request: canary bytes, then the requested size.
    private const nuint DebugTail = 16;
    private const nuint EmergencyReserveBytes = 32 << 10;

    private static HeapEngine s_engine;
    private static LiveBlockMap s_live;
    private static SpinLock s_lock;
    private static bool s_debug;
    private static byte* s_heapStart;
    private static ulong s_heapBytes;
    private static delegate*<nuint, bool> s_collector;
    private static bool s_collecting;
    private static ulong s_growthSinceCollection;
    private static ulong s_allocations;
    private static ulong s_frees;
    private static ulong s_growths;
    private static ulong s_collections;
    private static ulong* s_classAllocations;

    // Freed when memory runs out, so the out-of-memory panic can still build its message.
    private static void* s_emergencyReserve;

    public static bool IsInitialized => s_engine != null;

    /// <summary>The design serving allocations (kernel.conf "allocator").</summary>
    public static AllocatorKind Design => s_engine.Kind;

    public static string DesignName => s_engine.Name;

    public static bool DebugMode => s_debug;

    /// <summary>Bytes the heap grew by since the collector last ran (or since start-up).</summary>
    public static ulong GrowthSinceLastCollection => s_growthSinceCollection;

    /// <summary>
    /// Sets up the heap over the start of the heap region and routes the runtime's allocations (`new`) and
    /// NativeMemory to it. Objects allocated before this stay in the early bump region for good.
    /// </summary>
    public static void Initialize(in BootConfig config, ulong usableMemoryBytes)
    {
        if (IsInitialized)
            Panic.Fail("the kernel heap is initialized twice");
        s_lock = new SpinLock("kernel heap");
        s_engine = new HeapEngine(config.Allocator);
        s_debug = config.HeapDebug != 0;
        s_classAllocations = (ulong*)RuntimeAllocator.AllocateZeroed((nuint)(StatisticsClassCount * sizeof(ulong)));

        ulong maximum = config.HeapMaximum != 0 ? config.HeapMaximum : usableMemoryBytes / 2;
        HeapBacking.SetMaximum(maximum);
        ulong limit = HeapBacking.MaximumBytes;

        // The live-block bitmap sits at the region's start, sized for the largest the region can become.
        ulong bitmapBytes = ((ulong)LiveBlockMap.BytesFor((nuint)limit) + 4095) & ~4095UL;
        if (limit < bitmapBytes + InitialBytes)
            Panic.Fail("the kernel heap's maximum (" + (limit >> 10).ToString() + " KiB) leaves no room for its initial 1 MiB");
        ulong first = HeapBacking.Grow(bitmapBytes + InitialBytes);
        if (first != bitmapBytes + InitialBytes)
            Panic.Fail("the heap region could not map the kernel heap's first " + ((bitmapBytes + InitialBytes) >> 10).ToString() + " KiB");

        byte* region = (byte*)HeapBacking.Start.Value;
        s_heapStart = region + bitmapBytes;
        s_heapBytes = InitialBytes;
        s_live = new LiveBlockMap((ulong*)region, (nuint)s_heapStart, (nuint)(limit - bitmapBytes));
        if (!s_engine.Initialize(s_heapStart, (nuint)InitialBytes))
            Panic.Fail("the " + s_engine.Name + " heap refused its initial region");

        s_emergencyReserve = Allocate(EmergencyReserveBytes, 16);
        RuntimeAllocator.Install(&AllocateForRuntime);
        RuntimeAllocator.InstallHeap(&AllocateForNativeMemory, &FreeForNativeMemory, &UsableSize);
    }

    /// <summary>One line for the boot log: design, size, maximum, debug mode.</summary>
    public static string Describe()
        => s_engine.Name + ", " + (s_heapBytes >> 10).ToString() + " KiB, grows to " + (HeapBacking.MaximumBytes >> 20).ToString()
            + " MiB" + (s_debug ? ", debug on" : string.Empty);

    /// <summary>
    /// A block of at least <paramref name="size"/> bytes aligned to <paramref name="alignment"/> (a power of two;
    /// 0 means 8). Null only when the collector freed nothing and the heap cannot grow any further.
    /// </summary>
    public static void* Allocate(nuint size, nuint alignment)
    {
        if (alignment == 0)
            alignment = 8;
        if ((alignment & (alignment - 1)) != 0)
            Panic.Fail("KernelHeap.Allocate: alignment " + ((ulong)alignment).ToString() + " is not a power of two");
        if (size == 0)
            size = 1;
        if ((ulong)size > TlsfHeap.MaximumRequest)
            return null;

        void* block = TryAllocate(size, alignment);
        if (block != null)
            return block;

        // The collector runs outside the lock, with interrupts on (it may take long), and never re-entered.
        delegate*<nuint, bool> collector = s_collector;
        if (collector != null && !s_collecting && Cpu.InterruptsEnabled)
        {
            s_collecting = true;
            s_collections++;
            bool freed = collector(size);
            s_growthSinceCollection = 0;
            s_collecting = false;
            if (freed)
            {
                block = TryAllocate(size, alignment);
                if (block != null)
                    return block;
            }
        }

        return GrowAndAllocate(size, alignment);
    }

    /// <summary>Returns <paramref name="block"/> to the heap (null is ignored). A pointer that is not a live block is a panic.</summary>
    /// <remarks>The caller guarantees nothing uses the block afterwards.</remarks>
    public static void Free(void* block)
    {
        if (block == null)
            return;
        int problem;
        nuint requested = 0;
        using (s_lock.Acquire())
        {
            problem = FreeLocked(block, ref requested);
        }

        if (problem != 0)
            ReportBadFree(block, problem, requested);
    }

    /// <summary>
    /// Frees <paramref name="count"/> blocks under one acquisition of the lock (the collector's sweep hands over
    /// dead objects in batches). A pointer that is not a live block is a panic, as in Free.
    /// </summary>
    /// <remarks>The caller guarantees nothing uses the blocks afterwards.</remarks>
    public static void FreeBatch(void** blocks, int count)
    {
        int problem = 0;
        int index = 0;
        nuint requested = 0;
        using (s_lock.Acquire())
        {
            for (; index < count; index++)
            {
                problem = FreeLocked(blocks[index], ref requested);
                if (problem != 0)
                    break;
            }
        }

        if (problem != 0)
            ReportBadFree(blocks[index], problem, requested);
    }

    /// <summary>Bytes the caller may use at <paramref name="block"/> (in debug mode exactly what was asked for).</summary>
    /// <remarks>The caller guarantees <paramref name="block"/> is a live block of this heap.</remarks>
    public static nuint UsableSize(void* block)
    {
        using (s_lock.Acquire())
        {
            return UsableSizeLocked(block);
        }
    }

    /// <summary>
    /// Finds the live block that contains <paramref name="address"/> (its start or any byte inside it): the
    /// collector's question for a possible pointer found on a stack.
    /// </summary>
    public static bool TryFindLiveBlock(void* address, out void* start, out nuint size)
    {
        start = null;
        size = 0;
        nuint target = (nuint)address;
        if (target < (nuint)s_heapStart || target >= (nuint)s_heapStart + (nuint)s_heapBytes)
            return false;
        using (s_lock.Acquire())
        {
            if (!s_live.FindAtOrBefore(target, (nuint)s_heapStart, out nuint found))
                return false;
            nuint usable = UsableSizeLocked((void*)found);
            if (target >= found + usable && target != found)
                return false;
            start = (void*)found;
            size = usable;
            return true;
        }
    }

    /// <summary>
    /// Enumerates live blocks in address order: start with <paramref name="cursor"/> = 0 and call until it
    /// returns false. Freeing the block just returned is allowed; blocks allocated meanwhile may be missed.
    /// </summary>
    public static bool NextLiveBlock(ref nuint cursor, out void* start, out nuint size)
    {
        start = null;
        size = 0;
        using (s_lock.Acquire())
        {
            nuint from = cursor < (nuint)s_heapStart ? (nuint)s_heapStart : cursor;
            if (!s_live.FindAtOrAfter(from, out nuint found) || found >= (nuint)s_heapStart + (nuint)s_heapBytes)
            {
                cursor = (nuint)s_heapStart + (nuint)s_heapBytes;
                return false;
            }

            start = (void*)found;
            size = UsableSizeLocked(start);
            cursor = found + LiveBlockMap.Granule;
            return true;
        }
    }

    /// <summary>
    /// Sets the collector: called with the requested size when an allocation cannot be satisfied, before the
    /// heap grows; returns true if it freed memory and the allocation should be retried. Never called with
    /// interrupts off (e.g. from an interrupt handler) or while it runs.
    /// </summary>
    public static void SetCollector(delegate*<nuint, bool> collect) => s_collector = collect;

    /// <summary>A consistent snapshot of the heap's numbers (the shell's `heap`).</summary>
    public static HeapStatistics Statistics
    {
        get
        {
            using (s_lock.Acquire())
            {
                HeapCounters counters = s_engine.Counters;
                return new HeapStatistics(
                    s_engine.Kind, counters.Size, counters.Used, counters.Free, counters.LargestFree, s_allocations, s_frees, s_allocations - s_frees,
                    s_growths, s_collections, HeapBacking.MaximumBytes);
            }
        }
    }

    /// <summary>Allocations so far whose request fell in class <paramref name="index"/> (8 &lt;&lt; index bytes; the last is "larger").</summary>
    public static ulong ClassAllocations(int index) => (uint)index < StatisticsClassCount ? s_classAllocations[index] : 0;

    /// <summary>Runs the design's own consistency check (tests, heap.debug); null when consistent.</summary>
    public static string Validate()
    {
        using (s_lock.Acquire())
        {
            return s_engine.Validate();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void* TryAllocate(nuint size, nuint alignment)
    {
        using (s_lock.Acquire())
        {
            return AllocateLocked(size, alignment);
        }
    }

    private static void* GrowAndAllocate(nuint size, nuint alignment)
    {
        using (s_lock.Acquire())
        {
            // A few rounds: the first growth may only complete a free block at the end.
            for (int round = 0; round < 4; round++)
            {
                void* block = AllocateLocked(size, alignment);
                if (block != null)
                    return block;
                ulong wanted = (ulong)size + (ulong)alignment + FixedSizeBlockHeap.SlabSize + 4096;
                ulong step = wanted > MinimumGrowth ? wanted : MinimumGrowth;
                ulong added = HeapBacking.Grow(step);
                if (added == 0)
                    return null;
                s_heapBytes += added;
                s_growths++;
                s_growthSinceCollection += added;
                s_engine.Extend((nuint)added);
            }

            return AllocateLocked(size, alignment);
        }
    }

    // Inlined into the fast path: under QEMU's TCG every call and return costs more than this whole body.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void* AllocateLocked(nuint size, nuint alignment)
    {
        nuint request = s_debug ? size + DebugTail : size;
        byte* block = (byte*)s_engine.Allocate(request, alignment);
        if (block == null)
            return null;
        if (!s_live.Set((nuint)block))
            return DesignBroken(block);
        s_allocations++;
        int index = FixedSizeBlockHeap.ClassIndex(size);
        s_classAllocations[index < 0 ? StatisticsClassCount - 1 : index]++;
        if (s_debug)
            WriteCanary(block, size);
        return block;
    }

    private static void WriteCanary(byte* block, nuint size)
    {
        nuint usable = s_engine.UsableSize(block);
        for (nuint i = size; i < usable - 8; i++)
            block[i] = CanaryByte;
        *(ulong*)(block + usable - 8) = (ulong)size ^ CanaryMagic;
    }

    // 0 = freed; 1 = not a live block; 2 = canary overwritten (requested is set); 3 = the design rejected it.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FreeLocked(void* block, ref nuint requested)
    {
        if (!s_live.Clear((nuint)block))
            return 1;
        if (s_debug && !CheckCanaryAndPoison((byte*)block, ref requested))
            return 2;
        if (!s_engine.Free(block))
            return 3;
        s_frees++;
        return 0;
    }

    // heap.debug: false when the canary after the block was overwritten; else poisons the block.
    private static bool CheckCanaryAndPoison(byte* bytes, ref nuint requested)
    {
        nuint usable = s_engine.UsableSize(bytes);
        requested = (nuint)(*(ulong*)(bytes + usable - 8) ^ CanaryMagic);
        if (requested > usable - 8)
            return false;
        for (nuint i = requested; i < usable - 8; i++)
        {
            if (bytes[i] != CanaryByte)
                return false;
        }

        SpanHelpersFill(bytes, usable, PoisonByte);
        return true;
    }

    private static nuint UsableSizeLocked(void* block)
    {
        nuint usable = s_engine.UsableSize(block);
        return s_debug ? (nuint)(*(ulong*)((byte*)block + usable - 8) ^ CanaryMagic) : usable;
    }

    private static void SpanHelpersFill(byte* bytes, nuint count, byte value)
    {
        for (nuint i = 0; i < count; i++)
            bytes[i] = value;
    }

    private static void* DesignBroken(byte* block)
    {
        s_lock = new SpinLock("kernel heap (after a failure)"); // let the panic path allocate
        Panic.Fail("kernel heap: the " + s_engine.Name + " design returned 0x" + ((ulong)block).ToString("X") + ", which is a live block already");
        return null;
    }

    private static void ReportBadFree(void* block, int problem, nuint requested)
    {
        string what = problem switch
        {
            1 => "free of 0x" + ((ulong)block).ToString("X") + ", which is not a live heap block (a second free, or a pointer the heap never returned)",
            2 => "heap corruption: the canary after block 0x" + ((ulong)block).ToString("X") + " (" + ((ulong)requested).ToString() + " bytes) was overwritten",
            _ => "heap corruption: the " + s_engine.Name + " design rejected the free of live block 0x" + ((ulong)block).ToString("X"),
        };
        Panic.Fail(what + "; caller " + DescribeCaller());
    }

    // Compiled C# keeps no frame-pointer chain, so the caller is the first code address on the stack
    // that is not the heap's own (as in fault reports: "possible").
    private static string DescribeCaller()
    {
        ulong rsp = Cpu.StackPointer.Value;
        ulong top = InterruptStacks.TryFindContaining(rsp, out Memory.GuardedStack stack) ? stack.Top : rsp + 1024;
        char* buffer = stackalloc char[160];
        var symbol = new System.Span<char>(buffer, 160);
        for (ulong slot = rsp & ~7UL; slot + 8 <= top && slot < rsp + 4096; slot += 8)
        {
            int length = Symbols.Describe(*(ulong*)slot, symbol);
            if (length == 0)
                continue;
            string name = new string(buffer, 0, length);
            if (IsInfrastructure(name))
                continue;
            return name + " (possible)";
        }

        return "unknown";
    }

    // The heap's own code, the runtime library and the helpers it calls: stale return addresses of these
    // linger on the stack, and none of them is the caller a report should name.
    private static bool IsInfrastructure(string name)
        => name.Contains("KernelHeap") || name.Contains("NativeMemory") || name.Contains("RuntimeAllocator") || name.StartsWith("System.")
            || name.StartsWith("Internal.") || name.StartsWith("Kernel.Sync.") || name.StartsWith("Kernel.Diagnostics.") || name.StartsWith("Kernel.Arch.")
            || name.StartsWith("Shared.") || name.StartsWith("cpu_") || name.StartsWith("rt_");

    // The runtime's `new`: failure here is the end (there is no OutOfMemoryException to catch).
    private static void* AllocateForRuntime(nuint size)
    {
        void* block = Allocate(size, 8);
        if (block == null)
            FailOutOfMemory(size);
        return block;
    }

    private static void* AllocateForNativeMemory(nuint size, nuint alignment) => Allocate(size, alignment);

    private static void FreeForNativeMemory(void* block) => Free(block);

    /// <summary>
    /// Frees the block kept back for reporting out of memory, so the report's strings can be allocated. False when
    /// it is already gone: an allocation failed while a report was being built.
    /// </summary>
    public static bool ReleaseEmergencyReserve()
    {
        void* reserve = s_emergencyReserve;
        s_emergencyReserve = null;
        if (reserve == null)
            return false;
        Free(reserve);
        return true;
    }

    /// <summary>
    /// Panics with the numbers a reader needs (request, design, size and maximum, free bytes, largest free block),
    /// plus <paramref name="detail"/> (the collector adds its statistics; it calls ReleaseEmergencyReserve before
    /// building them). Fails without allocating when out of memory strikes again while reporting.
    /// </summary>
    public static void FailOutOfMemory(nuint size, string detail = null)
    {
        if (!ReleaseEmergencyReserve() && detail == null)
            RuntimeFailure.Fail("System.OutOfMemoryException", "out of memory while reporting out of memory");
        HeapStatistics statistics = Statistics;
        Panic.Fail("out of memory: " + ((ulong)size).ToString() + " bytes asked for; the " + s_engine.Name + " heap has "
            + statistics.Size.ToString() + " bytes (maximum " + statistics.Maximum.ToString() + "), " + statistics.Free.ToString()
            + " free, largest free block " + statistics.LargestFree.ToString() + " bytes" + (detail ?? ""));
    }
}
