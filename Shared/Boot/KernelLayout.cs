// Where things live in the kernel's address space. The loader builds the
// first page tables from these; the kernel relies on them.
//
//   0xFFFF_8000_0000_0000  kernel image (linked at this base, W^X per section)
//   0xFFFF_C000_0000_0000  all physical memory, 1:1 at this offset (no-execute)
//   0xFFFF_D000_0000_0000  kernel heap (grown on demand)
//   0xFFFF_E000_0000_0000  kernel stacks, each with an unmapped guard page below
//   0xFFFF_E000_4000_0000    interrupt (IST) stacks: one 128 KiB slot per IST index,
//                            an unmapped guard page at the bottom of each slot
//   0xFFFF_F000_0000_0000  the framebuffer (write-combining where the CPU has PAT)
//   low half               nothing (page 0 stays unmapped: null dereferences fault)
namespace Shared.Boot;

public static class KernelLayout
{
    public const ulong KernelBase = 0xFFFF_8000_0000_0000;
    public const ulong PhysicalMemoryOffset = 0xFFFF_C000_0000_0000;
    public const ulong HeapBase = 0xFFFF_D000_0000_0000;
    public const ulong StackRegionBase = 0xFFFF_E000_0000_0000;
    public const ulong FramebufferBase = 0xFFFF_F000_0000_0000;

    /// <summary>The boot stack's guard page; the stack itself starts one page above.</summary>
    public const ulong BootStackGuard = StackRegionBase;
    public const ulong BootStackBottom = StackRegionBase + 0x1000;

    /// <summary>Interrupt stack table stacks, above the boot stack's largest size (64 MiB).</summary>
    public const ulong InterruptStackRegion = StackRegionBase + 0x4000_0000;

    /// <summary>Virtual space per IST stack: its guard page, then up to 124 KiB of stack.</summary>
    public const ulong InterruptStackSlotSize = 0x2_0000;

    /// <summary>The guard page of IST stack <paramref name="index"/> (1..7); the stack starts one page above.</summary>
    public static ulong InterruptStackGuard(int index) => InterruptStackRegion + ((ulong)(index - 1) * InterruptStackSlotSize);

    public const ulong DefaultKernelStackSize = 256 * 1024;
    public const ulong MinimumKernelStackSize = 64 * 1024;

    /// <summary>The physical window covers at least the first 4 GiB, so MMIO (APIC, IOAPIC, PCI) is reachable.</summary>
    public const ulong MinimumPhysicalWindow = 4UL << 30;

    /// <summary>The window may not run into the heap region: 16 TiB of physical address space.</summary>
    public const ulong MaximumPhysicalWindow = HeapBase - PhysicalMemoryOffset;

    /// <summary>The window grows in whole gigabytes, so it can always be mapped with 1 GiB pages.</summary>
    public const ulong PhysicalWindowGranularity = 1UL << 30;

    /// <summary>
    /// The size of the physical-memory window for a machine whose memory map ends at <paramref name="mapEnd"/> and
    /// whose framebuffer ends at <paramref name="framebufferEnd"/> (0 without one; BARs can sit above all RAM):
    /// the larger of the two and 4 GiB, rounded up to a whole gigabyte. 0 when that exceeds MaximumPhysicalWindow.
    /// </summary>
    public static ulong PhysicalWindowSize(ulong mapEnd, ulong framebufferEnd)
    {
        ulong end = mapEnd > framebufferEnd ? mapEnd : framebufferEnd;
        if (end < MinimumPhysicalWindow)
            end = MinimumPhysicalWindow;
        if (end > MaximumPhysicalWindow)
            return 0;
        return (end + PhysicalWindowGranularity - 1) & ~(PhysicalWindowGranularity - 1);
    }

    public const ulong PageSize = 4096;
}
