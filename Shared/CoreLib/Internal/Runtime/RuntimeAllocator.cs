// Where every object comes from. The compiler's allocation helpers
// (RuntimeExports.RhpNew*) call Allocate; what stands behind it is pluggable:
// at start-up a bump allocator over a region the image reserves, later the
// kernel heap (installed with Install). Memory returned here is zeroed by the
// caller, so a backend may hand out dirty memory.
//
// Explicit allocation (System.Runtime.InteropServices.NativeMemory) goes to
// the heap hooks the kernel installs with InstallHeap: allocate with an
// alignment, free, usable size. Before that there is nothing to free into,
// so NativeMemory fails loudly.
//
// Objects take their own path (AllocateObject): the early bump region until
// the kernel's garbage collector installs its object allocator
// (InstallObjectAllocator), which records every object it hands out. Objects
// never come from the heap unrecorded, so the collector knows every object
// it may free; early objects stay in the bump region for good and the
// collector treats their references as roots.
//
// Layout contract with the collector (Shared/Gc): every object starts 8 bytes
// into its allocation (the object header, which holds the mark bit), is
// 8-byte aligned, and is at least MethodTable.BaseSize bytes long. In the bump
// region, a non-object allocation (AllocateZeroed) is preceded by an 8-byte
// header with the top bit set and its size in the low bits
// (Shared.Gc.ObjectRegion.RawBlockTag), so the region can be walked object by
// object.
using System;
using System.Threading;

namespace Internal.Runtime;

public static unsafe class RuntimeAllocator
{
    private static delegate*<nuint, void*> s_allocate;
    private static nint s_bumpStart;
    private static nint s_bumpNext;
    private static nint s_bumpEnd;
    private static ulong s_allocationCount;
    private static ulong s_allocatedBytes;
    private static bool s_usingBumpRegion;
    private static delegate*<nuint, nuint, void*> s_heapAllocate;
    private static delegate*<void*, void> s_heapFree;
    private static delegate*<void*, nuint> s_heapUsableSize;
    private static delegate*<nuint, void*> s_allocateObject;
    private static ulong s_objectBytes;
    private static ulong s_finalizableObjects;
    private const ulong RawBlockTag = 1UL << 63;

    /// <summary>Serves allocations from [start, start + size) without ever freeing.</summary>
    /// <remarks>The caller guarantees the region is mapped, writable, unused by anything else, and stays so.</remarks>
    public static void UseBumpRegion(void* start, nuint size)
    {
        s_bumpStart = (nint)start;
        s_bumpNext = (nint)(((nuint)start + 7) & ~(nuint)7);
        s_bumpEnd = (nint)start + (nint)size;
        s_allocate = &BumpAllocateRaw;
        s_usingBumpRegion = true;
    }

    /// <summary>Routes every later allocation to <paramref name="allocate"/>.</summary>
    /// <remarks>The function must return 8-byte aligned memory of at least the requested size that stays valid, or null.</remarks>
    public static void Install(delegate*<nuint, void*> allocate)
    {
        s_allocate = allocate;
        s_usingBumpRegion = false;
    }

    /// <summary>Installs the heap behind NativeMemory: allocate(size, alignment), free(block), usableSize(block).</summary>
    /// <remarks>
    /// allocate returns memory aligned as asked (a power of two) of at least the size, or null when the heap is
    /// exhausted; free and usableSize accept exactly the pointers allocate returned.
    /// </remarks>
    public static void InstallHeap(delegate*<nuint, nuint, void*> allocate, delegate*<void*, void> free, delegate*<void*, nuint> usableSize)
    {
        s_heapAllocate = allocate;
        s_heapFree = free;
        s_heapUsableSize = usableSize;
    }

    /// <summary>True once the kernel installed a heap that can free (NativeMemory works).</summary>
    public static bool HasHeap => s_heapAllocate != null;

    /// <summary>Explicit allocation (NativeMemory): null when the heap is exhausted.</summary>
    public static void* HeapAllocate(nuint size, nuint alignment)
    {
        if (s_heapAllocate == null)
            RuntimeFailure.Fail("System.InvalidOperationException", "NativeMemory was used before the kernel installed its heap.");
        return s_heapAllocate(size, alignment);
    }

    public static void HeapFree(void* block)
    {
        if (s_heapFree == null)
            RuntimeFailure.Fail("System.InvalidOperationException", "NativeMemory.Free was used before the kernel installed its heap.");
        s_heapFree(block);
    }

    public static nuint HeapUsableSize(void* block)
    {
        if (s_heapUsableSize == null)
            RuntimeFailure.Fail("System.InvalidOperationException", "NativeMemory was used before the kernel installed its heap.");
        return s_heapUsableSize(block);
    }

    /// <summary>
    /// Routes object allocations to <paramref name="allocate"/> (the garbage collector's allocator), which returns
    /// zeroed, 8-byte aligned memory of at least the size it is asked for, or fails loudly itself.
    /// </summary>
    public static void InstallObjectAllocator(delegate*<nuint, void*> allocate) => s_allocateObject = allocate;

    /// <summary>Memory for one object (header included): zeroed, 8-byte aligned; fails loudly when none is left.</summary>
    public static void* AllocateObject(nuint size)
    {
        size = (size + 7) & ~(nuint)7;
        void* memory;
        delegate*<nuint, void*> allocate = s_allocateObject;
        if (allocate != null)
        {
            memory = allocate(size);
        }
        else
        {
            // Before the collector: the early region, even when a heap already serves other allocations.
            memory = BumpAllocate(size);
            if (memory == null)
                RuntimeFailure.Fail("System.OutOfMemoryException", "The early object region is exhausted before the garbage collector was installed.");
            SpanHelpers.Fill(ref *(byte*)memory, size, 0);
        }

        s_allocationCount++;
        s_allocatedBytes += size;
        s_objectBytes += size;
        return memory;
    }

    /// <summary>Counts an object whose type has a finalizer: this runtime never runs finalizers (docs/gc.md).</summary>
    public static void NoteFinalizableObject() => s_finalizableObjects++;

    public static ulong FinalizableObjects => s_finalizableObjects;

    /// <summary>Bytes of objects allocated since start-up (GC.GetTotalAllocatedBytes).</summary>
    public static ulong ObjectBytesAllocated => s_objectBytes;

    /// <summary>Start of the early bump region.</summary>
    public static byte* BumpRegionStart => (byte*)s_bumpStart;

    /// <summary>End of what the early bump region has handed out so far.</summary>
    public static byte* BumpRegionEnd => (byte*)Volatile.Read(ref s_bumpNext);

    public static ulong AllocationCount => s_allocationCount;

    public static ulong AllocatedBytes => s_allocatedBytes;

    /// <summary>Bytes left in the bump region (0 once another allocator is installed).</summary>
    public static nuint BumpRemaining => s_usingBumpRegion ? (nuint)(s_bumpEnd - s_bumpNext) : 0;

    public static nuint BumpUsed => (nuint)(s_bumpNext - s_bumpStart);

    /// <summary>Returns zeroed, 8-byte aligned memory; fails loudly when none is left.</summary>
    public static void* AllocateZeroed(nuint size)
    {
        delegate*<nuint, void*> allocate = s_allocate;
        if (allocate == null)
            RuntimeFailure.Fail("System.OutOfMemoryException", "Allocation before the runtime heap was set up.");

        size = (size + 7) & ~(nuint)7;
        void* memory = allocate(size);
        if (memory == null)
            RuntimeFailure.Fail("System.OutOfMemoryException", "The runtime heap is exhausted.");

        SpanHelpers.Fill(ref *(byte*)memory, size, 0);
        s_allocationCount++;
        s_allocatedBytes += size;
        return memory;
    }

    // A non-object allocation in the bump region carries a tagged header so the region stays walkable.
    private static void* BumpAllocateRaw(nuint size)
    {
        byte* block = (byte*)BumpAllocate(size + 8);
        if (block == null)
            return null;
        *(ulong*)block = RawBlockTag | size;
        return block + 8;
    }

    // Lock-free, so an allocation interrupted by another (an interrupt handler should not
    // allocate, but a mistake must not corrupt the heap) still hands out disjoint memory.
    private static void* BumpAllocate(nuint size)
    {
        while (true)
        {
            nint result = Volatile.Read(ref s_bumpNext);
            if ((nuint)(s_bumpEnd - result) < size)
                return null;
            if (Interlocked.CompareExchange(ref s_bumpNext, result + (nint)size, result) == result)
                return (void*)result;
        }
    }
}
