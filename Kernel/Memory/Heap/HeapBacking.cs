// Where the kernel heap's memory comes from: the paging layer's heap region
// (Kernel/Memory/HeapRegion.cs), one contiguous virtual range from
// KernelLayout.HeapBase that grows at its end by mapping fresh zeroed frames.
// This file is the heap's only contact with it, so the heap and its tests
// see one small seam: Start, MappedBytes, MaximumBytes, SetMaximum, Grow.
using Shared.Memory;

namespace Kernel.Memory.Heap;

internal static class HeapBacking
{
    public static VirtualAddress Start => HeapRegion.Start;

    /// <summary>Bytes from Start that are mapped and belong to the heap.</summary>
    public static ulong MappedBytes => HeapRegion.MappedBytes;

    /// <summary>How far the range may grow (heap.max).</summary>
    public static ulong MaximumBytes => HeapRegion.MaximumBytes;

    /// <summary>Caps growth at <paramref name="bytes"/> (never below what is mapped).</summary>
    public static void SetMaximum(ulong bytes) => HeapRegion.SetMaximum(bytes);

    /// <summary>
    /// Maps up to <paramref name="bytes"/> more after the end, clamped to what the maximum leaves; returns the bytes
    /// added, 0 when at the maximum or out of frames. Allocates no managed memory.
    /// </summary>
    public static ulong Grow(ulong bytes)
    {
        ulong room = HeapRegion.MaximumBytes - HeapRegion.MappedBytes;
        if (bytes > room)
            bytes = room & ~4095UL;
        return bytes == 0 ? 0 : HeapRegion.Grow(bytes);
    }
}
