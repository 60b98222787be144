// Where System.GC reaches the garbage collector: the runtime library cannot
// reference the kernel, so the kernel's collector (Kernel/Memory/Gc)
// installs these entry points at start-up. Without a collector (the loader,
// or the kernel before it installs one) nothing is ever freed, and GC's
// methods answer from the allocator's counters.
namespace Internal.Runtime;

public static unsafe class CollectorHooks
{
    private static delegate*<void> s_collect;
    private static delegate*<ulong> s_liveBytes;
    private static delegate*<ulong> s_collectionCount;

    /// <summary>Installs the collector: collect now, bytes of live objects, collections so far.</summary>
    public static void Install(delegate*<void> collect, delegate*<ulong> liveBytes, delegate*<ulong> collectionCount)
    {
        s_collect = collect;
        s_liveBytes = liveBytes;
        s_collectionCount = collectionCount;
    }

    public static bool IsInstalled => s_collect != null;

    public static void Collect()
    {
        if (s_collect != null)
            s_collect();
    }

    public static ulong LiveBytes => s_liveBytes != null ? s_liveBytes() : RuntimeAllocator.ObjectBytesAllocated;

    public static ulong CollectionCount => s_collectionCount != null ? s_collectionCount() : 0;
}
