// The kernel heap's virtual range: KernelLayout.HeapBase upwards, mapped on
// demand with fresh zeroed frames (writable, no-execute). The heap asks for
// more with Grow and gets whole pages right after what is mapped, up to a
// maximum. Grow allocates no managed memory (the heap calls it while it is
// out of space) and leaves nothing half-done behind: it maps all it was asked
// for or nothing.
using Kernel.Sync;
using Shared.Boot;
using Shared.Memory;

namespace Kernel.Memory;

public static class HeapRegion
{
    /// <summary>Virtual space reserved for the heap: up to the stack region (16 TiB).</summary>
    public const ulong VirtualSize = KernelLayout.StackRegionBase - KernelLayout.HeapBase;

    private static readonly SpinLock s_lock = new("heap region");
    private static ulong s_mapped;
    private static ulong s_maximum = VirtualSize;

    public static VirtualAddress Start => new(KernelLayout.HeapBase);

    /// <summary>Bytes mapped so far: [Start, Start + MappedBytes) is usable memory.</summary>
    public static ulong MappedBytes => s_mapped;

    /// <summary>Grow never maps past Start + MaximumBytes. Defaults to the whole virtual range (VirtualSize).</summary>
    public static ulong MaximumBytes => s_maximum;

    /// <summary>Caps the heap at <paramref name="bytes"/> (rounded down to 4 KiB, at most VirtualSize, never below what is mapped).</summary>
    public static void SetMaximum(ulong bytes)
    {
        using (s_lock.Acquire())
        {
            bytes &= ~(Size4KiB.Bytes - 1);
            if (bytes > VirtualSize)
                bytes = VirtualSize;
            s_maximum = bytes < s_mapped ? s_mapped : bytes;
        }
    }

    /// <summary>
    /// Maps at least <paramref name="bytes"/> more (rounded up to 4 KiB) of fresh zeroed frames right after the
    /// mapped part, writable and no-execute. Returns the bytes added, or 0 (with no partial mapping left behind)
    /// when frames, page tables or the maximum run out.
    /// </summary>
    public static ulong Grow(ulong bytes)
    {
        if (bytes == 0)
            return 0;
        using (s_lock.Acquire())
        {
            if (bytes > s_maximum - s_mapped)
                return 0;
            ulong added = (bytes + Size4KiB.Bytes - 1) & ~(Size4KiB.Bytes - 1);
            if (added > s_maximum - s_mapped)
                return 0;

            Page<Size4KiB> first = Page<Size4KiB>.FromStart(Start + s_mapped);
            ulong pages = added / Size4KiB.Bytes;
            for (ulong i = 0; i < pages; i++)
            {
                if (!MapFreshPage(first.Add(i)))
                {
                    Release(first, i);
                    return 0;
                }
            }

            s_mapped += added;
            return added;
        }
    }

    private static unsafe bool MapFreshPage(Page<Size4KiB> page)
    {
        if (!FrameAllocator.TryAllocateZeroed(out PhysicalFrame<Size4KiB> frame))
            return false;

        // Safe: the frame was just allocated and the page lies past everything the heap has mapped.
        if (KernelPageTables.Map(page, frame, PageTableFlags.Writable | PageTableFlags.NoExecute) == MapResult.Success)
            return true;
        FrameAllocator.Free(frame);
        return false;
    }

    // Undoes a failed Grow: the pages were never handed out, so nothing can use them.
    private static unsafe void Release(Page<Size4KiB> first, ulong count)
    {
        for (ulong i = 0; i < count; i++)
        {
            if (KernelPageTables.Unmap(first.Add(i), out PhysicalFrame<Size4KiB> frame) == MapResult.Success)
                FrameAllocator.Free(frame);
        }
    }
}
