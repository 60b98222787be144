// System.GC, as far as a non-generational, non-moving mark-sweep collector
// gives it meaning: one generation (0), a blocking Collect, the bytes of live
// objects, the collection count, the bytes ever allocated, and KeepAlive.
// The collector itself lives in the kernel (Kernel/Memory/Gc, docs/gc.md).
using System.Runtime.CompilerServices;
using Internal.Runtime;

namespace System;

public static class GC
{
    /// <summary>The only generation there is.</summary>
    public static int MaxGeneration => 0;

    /// <summary>Runs a full, blocking collection (deferred to the next allocation when interrupts are off).</summary>
    public static void Collect() => CollectorHooks.Collect();

    public static void Collect(int generation)
    {
        if (generation < 0)
            ThrowHelper.ThrowArgumentOutOfRange("generation");
        CollectorHooks.Collect();
    }

    /// <summary>Bytes of objects the collector considers live (after a collection when <paramref name="forceFullCollection"/>).</summary>
    public static long GetTotalMemory(bool forceFullCollection)
    {
        if (forceFullCollection)
            CollectorHooks.Collect();
        return (long)CollectorHooks.LiveBytes;
    }

    /// <summary>Collections of <paramref name="generation"/> so far (every collection is of generation 0).</summary>
    public static int CollectionCount(int generation)
    {
        if (generation < 0)
            ThrowHelper.ThrowArgumentOutOfRange("generation");
        return generation == 0 ? (int)CollectorHooks.CollectionCount : 0;
    }

    /// <summary>Bytes of objects allocated since start-up, freed ones included.</summary>
    public static long GetTotalAllocatedBytes(bool precise = false) => (long)RuntimeAllocator.ObjectBytesAllocated;

    /// <summary>Keeps <paramref name="obj"/> reachable up to this call: the reference is an argument of a call the compiler cannot remove.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void KeepAlive(object obj)
    {
    }
}
