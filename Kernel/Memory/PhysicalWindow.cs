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

    /// <summary>A pointer to <paramref name="address"/> through the window; what it may be used for is the caller's business.</summary>
    public static unsafe byte* Pointer(PhysicalAddress address) => (byte*)Address(address).Value;

    /// <summary>Fills a frame the caller owns (just allocated) with zeros.</summary>
    public static unsafe void Zero(PhysicalFrame<Size4KiB> frame) => new System.Span<byte>(Pointer(frame.Start), (int)Size4KiB.Bytes).Clear();
}
