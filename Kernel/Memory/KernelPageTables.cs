// The kernel's mapper for the active address space (CR3's tables): typed
// translate, map, unmap and flag updates over Shared/Memory/PageTableMapper
// (the one walk, host-tested), with page tables from the frame allocator and
// the TLB kept in step (invlpg per page, a CR3 reload for a full flush).
// Changes are serialized by a lock; nothing here allocates managed memory, so
// the heap can grow itself through it.
using Kernel.Arch;
using Kernel.Sync;
using Shared.Memory;

namespace Kernel.Memory;

public static class KernelPageTables
{
    private static readonly SpinLock s_lock = new("kernel page tables");

    /// <summary>The active tables as Shared/Memory's mapper sees them (no locking, no TLB): for walks in tests.</summary>
    internal static PageTableMapper<KernelPageTableMemory> Active => new(default, ControlRegisters.PageTableRoot);

    /// <summary>Where <paramref name="address"/> leads (physical address, leaf flags, page size), huge pages included.</summary>
    public static bool TryTranslate(VirtualAddress address, out Translation translation) => Active.TryTranslate(address, out translation);

    public static bool IsMapped(VirtualAddress address) => Active.TryTranslate(address, out _);

    /// <summary>As TryTranslate for an address as the hardware reports it (CR2, a stack slot): non-canonical is unmapped.</summary>
    public static bool TryTranslateReported(ulong address, out Translation translation)
    {
        translation = default;
        return VirtualAddress.TryCreate(address, out VirtualAddress checkedAddress) && TryTranslate(checkedAddress, out translation);
    }

    /// <summary>
    /// Maps <paramref name="page"/> to <paramref name="frame"/> (Present added; intermediate tables created
    /// Present | Writable, so the leaf decides), then flushes the page's TLB entry. Fails with a result, never a
    /// panic: AlreadyMapped, HugePageConflict, OutOfMemory (no frame for a table).
    /// Caller's obligations: the frame is the caller's to map (freshly allocated, or an intended alias of memory
    /// mapped elsewhere with the same memory type), and the flags do not make kernel code writable or data
    /// executable.
    /// </summary>
    public static unsafe MapResult Map<TSize>(Page<TSize> page, PhysicalFrame<TSize> frame, PageTableFlags flags)
        where TSize : struct, IPageSize
    {
        using (s_lock.Acquire())
        {
            MapResult result = Active.Map(page, frame, flags);
            if (result == MapResult.Success)
                ControlRegisters.InvalidatePage(page.Start);
            return result;
        }
    }

    /// <summary>
    /// Removes the mapping of <paramref name="page"/>, frees the page tables it leaves empty, flushes the TLB entry
    /// and returns the frame (still allocated: freeing it is the caller's decision). Results: NotMapped,
    /// HugePageConflict (a larger page covers it), PageSizeMismatch (mapped through smaller pages).
    /// Caller's obligation: nothing uses the page any more (no reference, no stack, no pointer into it).
    /// </summary>
    public static unsafe MapResult Unmap<TSize>(Page<TSize> page, out PhysicalFrame<TSize> frame)
        where TSize : struct, IPageSize
    {
        using (s_lock.Acquire())
        {
            MapResult result = Active.Unmap(page, out frame);
            if (result == MapResult.Success)
                ControlRegisters.InvalidatePage(page.Start);
            return result;
        }
    }

    /// <summary>
    /// Replaces the flags of a live mapping and flushes its TLB entry. Caller's obligation: nothing relies on the
    /// old permissions or memory type (e.g. code still running from a page made no-execute, another alias of the
    /// frame with a different caching type).
    /// </summary>
    public static unsafe MapResult UpdateFlags<TSize>(Page<TSize> page, PageTableFlags flags)
        where TSize : struct, IPageSize
    {
        using (s_lock.Acquire())
        {
            MapResult result = Active.UpdateFlags(page, flags);
            if (result == MapResult.Success)
                ControlRegisters.InvalidatePage(page.Start);
            return result;
        }
    }

    /// <summary>Drops the TLB entry (and the paging-structure caches) for one page.</summary>
    public static void Flush(VirtualAddress address) => ControlRegisters.InvalidatePage(address);

    /// <summary>Drops every non-global TLB entry by reloading CR3 with the same tables.</summary>
    public static unsafe void FlushAll() => ControlRegisters.LoadPageTableRoot(ControlRegisters.PageTableRoot);

    /// <summary>What a failed result means, for panic messages and `mem`.</summary>
    public static string Describe(MapResult result) => result switch
    {
        MapResult.Success => "ok",
        MapResult.OutOfMemory => "out of physical frames for page tables",
        MapResult.AlreadyMapped => "already mapped",
        MapResult.HugePageConflict => "a huge page covers it",
        MapResult.Misaligned => "misaligned",
        MapResult.InvalidRange => "outside the range it belongs in",
        MapResult.NotMapped => "not mapped",
        MapResult.PageSizeMismatch => "mapped with another page size",
        _ => "error " + ((int)result).ToString(),
    };
}
