// Frames for the page tables the kernel creates before it has a frame
// allocator: a page-aligned pool reserved in the kernel image's .bss
// (tools/AsmGen/Modules/KernelReservations.cs), so it is RAM the loader
// already gave the kernel and no memory-map bookkeeping is needed. Frames
// are handed out once and never returned. When the frame allocator exists,
// KernelPageTableMemory takes its frames from there instead and this pool
// only covers what was mapped before.
using Kernel.Arch;
using Shared.Boot;

namespace Kernel.Memory;

internal static unsafe class PageTableFramePool
{
    private static ulong s_used;

    public static ulong Capacity => NativeInterrupts.PageTableFramePoolSize() / KernelLayout.PageSize;

    public static ulong Used => s_used;

    /// <summary>The kernel-image address of an unused 4 KiB frame of the pool, or false when it is exhausted.</summary>
    public static bool TryTake(out ulong virtualAddress)
    {
        if (s_used == Capacity)
        {
            virtualAddress = 0;
            return false;
        }

        virtualAddress = (ulong)NativeInterrupts.PageTableFramePool() + (s_used * KernelLayout.PageSize);
        s_used++;
        return true;
    }
}
