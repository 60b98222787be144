// The kernel takes over memory from the loader, in this order: the frame
// allocator adopts the memory map (so page tables can be allocated), the low
// half is emptied, and the physical window's alias of the framebuffer gets
// the framebuffer mapping's memory type. Boot memory is reclaimed later
// (FrameAllocator.ReclaimBootMemory), once ACPI has been read.
namespace Kernel.Memory;

public static class KernelMemory
{
    /// <summary>Caller's obligation: runs once, first thing after the boot information was checked.</summary>
    public static unsafe void Initialize()
    {
        FrameAllocator.Initialize();
        LowHalf.Unmap();
        PhysicalWindow.MatchFramebufferMemoryType();
    }
}
