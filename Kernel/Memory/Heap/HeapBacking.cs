// Where the kernel heap's memory comes from: one contiguous virtual range
// that grows at its end. This is the seam to the paging layer: its
// Kernel.Memory.HeapRegion (Start, MappedBytes, MaximumBytes, SetMaximum,
// Grow) has exactly this shape, and wiring it in means replacing the bodies
// below with calls to it. Until then the range is a 32 MiB reservation in the
// kernel image's .bss (tools/AsmGen/Modules/KernelReservations.cs): already
// mapped, so "growing" only moves the boundary the heap may use, but the heap
// sees the same sequence of events (a small start, 64 KiB+ steps, a maximum)
// as it will with real mapping.
using Kernel.Arch;
using Shared.Memory;

namespace Kernel.Memory.Heap;

internal static unsafe class HeapBacking
{
    private static ulong s_mapped;
    private static ulong s_maximum;

    public static VirtualAddress Start => new((ulong)NativeInterrupts.HeapReserve());

    /// <summary>Bytes from Start that are mapped and belong to the heap.</summary>
    public static ulong MappedBytes => s_mapped;

    /// <summary>How far the range may grow (heap.max, capped by what the backing can give).</summary>
    public static ulong MaximumBytes => s_maximum;

    /// <summary>The most the backing could ever provide (the .bss reservation).</summary>
    public static ulong CapacityBytes => NativeInterrupts.HeapReserveSize();

    /// <summary>Caps growth at <paramref name="bytes"/> (never below what is mapped, never above the capacity).</summary>
    public static void SetMaximum(ulong bytes)
    {
        if (bytes > CapacityBytes)
            bytes = CapacityBytes;
        s_maximum = bytes < s_mapped ? s_mapped : bytes;
    }

    /// <summary>Maps up to <paramref name="bytes"/> more (whole pages) after the end; returns the bytes added, 0 when at the maximum.</summary>
    public static ulong Grow(ulong bytes)
    {
        bytes = (bytes + 4095) & ~4095UL;
        ulong room = s_maximum - s_mapped;
        if (bytes > room)
            bytes = room;
        s_mapped += bytes;
        return bytes;
    }
}
