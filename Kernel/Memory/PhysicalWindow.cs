// The physical-memory window: all physical memory from 0 to
// BootInfo.PhysicalMemoryMappedSize, mapped by the loader at
// KernelLayout.PhysicalMemoryOffset (read/write, no-execute). The kernel
// reaches page tables, frame-allocator metadata and fresh frames through it.
using Kernel.Diagnostics;
using Shared.Memory;

namespace Kernel.Memory;

public static class PhysicalWindow
{
    public static unsafe ulong Size => KernelState.BootInfo->PhysicalMemoryMappedSize;

    public static VirtualAddress Start => new(KernelState.PhysicalMemoryOffset);

    public static bool Contains(PhysicalAddress address) => address.Value < Size;

    /// <summary>The window address of <paramref name="address"/>; panics outside the window.</summary>
    public static VirtualAddress Address(PhysicalAddress address)
    {
        if (!Contains(address))
            Panic.Fail("physical address " + address.ToString() + " lies outside the physical-memory window");
        return VirtualAddress.Truncate(KernelState.PhysicalMemoryOffset + address.Value);
    }

    /// <summary>
    /// Gives the window's alias of the framebuffer the memory type of the loader's framebuffer mapping, so the
    /// two never disagree (Intel SDM 11.12.4: aliases with different types are undefined behaviour, and a
    /// cacheable alias of a write-combining frame the worst case). With WC that is PAT entry 1 (PWT), which the
    /// loader programmed; without it both already use entry 0. Runs once the frame allocator can supply the
    /// tables that splitting huge window pages at the framebuffer's edges needs.
    /// </summary>
    public static unsafe void MatchFramebufferMemoryType()
    {
        Shared.Boot.FramebufferInfo fb = KernelState.BootInfo->Framebuffer;
        if (!fb.IsPresent || (fb.Flags & Shared.Boot.FramebufferFlags.WriteCombining) == 0)
            return;
        PhysicalAddress first = new PhysicalAddress(fb.PhysicalBase).AlignDown(4096);
        ulong length = (fb.PhysicalBase + fb.SizeBytes + 4095 & ~4095UL) - first.Value;
        if (!Contains(first) || length > Size - first.Value)
            return; // outside the window: no alias
        MapResult result = KernelPageTables.SetMemoryType(Address(first), length, 1);
        if (result != MapResult.Success)
            Panic.Fail("cannot make the window's framebuffer alias write-combining: " + KernelPageTables.Describe(result));
    }

    /// <summary>A pointer to <paramref name="address"/> through the window; what it may be used for is the caller's business.</summary>
    public static unsafe byte* Pointer(PhysicalAddress address) => (byte*)Address(address).Value;

    /// <summary>Fills a frame the caller owns (just allocated) with zeros.</summary>
    public static unsafe void Zero(PhysicalFrame<Size4KiB> frame) => new System.Span<byte>(Pointer(frame.Start), (int)Size4KiB.Bytes).Clear();
}
