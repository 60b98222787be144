// The collector's numbers, as one consistent snapshot: what the shell's `gc`
// command prints and what the kernel tests and benchmarks read.
using Kernel.Time;

namespace Kernel.Memory.Gc;

public readonly struct GcStatistics
{
    public ulong Collections { get; init; }

    /// <summary>TSC cycles of the last and of the longest collection (interrupts off throughout).</summary>
    public ulong LastPauseCycles { get; init; }

    public ulong LongestPauseCycles { get; init; }

    public ulong TotalPauseCycles { get; init; }

    /// <summary>Bytes of heap objects: marked at the last collection plus allocated since.</summary>
    public ulong LiveBytes { get; init; }

    /// <summary>Heap objects recorded right now (live or not yet found dead).</summary>
    public ulong RecordedObjects { get; init; }

    public ulong LastMarkedObjects { get; init; }

    public ulong LastMarkedBytes { get; init; }

    public ulong LastFreedObjects { get; init; }

    public ulong LastFreedBytes { get; init; }

    public ulong FreedObjects { get; init; }

    public ulong FreedBytes { get; init; }

    /// <summary>Objects kept by stack or register words at the last collection.</summary>
    public ulong LastConservativeHits { get; init; }

    /// <summary>Objects with finalizers allocated so far: their finalizers never run.</summary>
    public ulong FinalizableObjects { get; init; }

    /// <summary>Collections asked for while interrupts were off, run at a later allocation instead.</summary>
    public ulong DeferredCollections { get; init; }

    /// <summary>gc.stress from kernel.conf: a collection every N-th allocation (0 = off).</summary>
    public uint StressInterval { get; init; }

    public string Describe()
        => "collections " + Collections.ToString()
            + ", last pause " + Microseconds(LastPauseCycles) + " us, longest " + Microseconds(LongestPauseCycles) + " us"
            + ", live " + (LiveBytes >> 10).ToString() + " KiB in " + RecordedObjects.ToString() + " objects"
            + ", freed " + (FreedBytes >> 10).ToString() + " KiB (" + FreedObjects.ToString() + " objects)"
            + (StressInterval != 0 ? ", stress every " + StressInterval.ToString() : string.Empty)
            + (FinalizableObjects != 0 ? ", " + FinalizableObjects.ToString() + " finalizable objects (finalizers never run)" : string.Empty);

    private static string Microseconds(ulong cycles) => TimeStampCounter.IsCalibrated ? TimeStampCounter.ToMicroseconds(cycles).ToString() : "?";
}
