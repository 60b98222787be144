// Explicit allocation for buffers kernel code owns, with .NET's names and
// behaviour: Alloc, AllocZeroed, AlignedAlloc, Free, AlignedFree, Realloc,
// AlignedRealloc (and Clear, Copy, Fill). Behind it is the kernel heap the
// kernel installs through RuntimeAllocator.InstallHeap. As in .NET, a size of
// zero still gives a unique pointer, Free(null) does nothing, and an
// allocation that cannot be satisfied is an OutOfMemoryException (here, like
// every throw, a panic that names it).
using Internal.Runtime;

namespace System.Runtime.InteropServices;

public static unsafe class NativeMemory
{
    // What malloc guarantees on x86-64, and what every heap design gives anyway.
    private const nuint DefaultAlignment = 16;

    public static void* Alloc(nuint byteCount) => AllocateOrFail(byteCount, DefaultAlignment);

    public static void* Alloc(nuint elementCount, nuint elementSize) => Alloc(CheckedProduct(elementCount, elementSize));

    public static void* AllocZeroed(nuint byteCount)
    {
        void* block = Alloc(byteCount);
        SpanHelpers.Fill(ref *(byte*)block, byteCount, 0);
        return block;
    }

    public static void* AllocZeroed(nuint elementCount, nuint elementSize) => AllocZeroed(CheckedProduct(elementCount, elementSize));

    /// <summary>Memory aligned to <paramref name="alignment"/>, which must be a power of two.</summary>
    public static void* AlignedAlloc(nuint byteCount, nuint alignment)
    {
        CheckAlignment(alignment);
        return AllocateOrFail(byteCount, alignment < DefaultAlignment ? DefaultAlignment : alignment);
    }

    /// <remarks>The caller guarantees <paramref name="ptr"/> is null or came from Alloc/AllocZeroed/Realloc and is not used afterwards.</remarks>
    public static void Free(void* ptr)
    {
        if (ptr != null)
            RuntimeAllocator.HeapFree(ptr);
    }

    /// <remarks>The caller guarantees <paramref name="ptr"/> is null or came from AlignedAlloc/AlignedRealloc and is not used afterwards.</remarks>
    public static void AlignedFree(void* ptr) => Free(ptr);

    /// <summary>Resizes a block: its contents up to the smaller size are kept; the old pointer is invalid afterwards.</summary>
    /// <remarks>The caller guarantees <paramref name="ptr"/> is null or a live block from Alloc/AllocZeroed/Realloc.</remarks>
    public static void* Realloc(void* ptr, nuint byteCount) => Resize(ptr, byteCount, DefaultAlignment);

    /// <remarks>The caller guarantees <paramref name="ptr"/> is null or a live block from AlignedAlloc/AlignedRealloc.</remarks>
    public static void* AlignedRealloc(void* ptr, nuint byteCount, nuint alignment)
    {
        CheckAlignment(alignment);
        return Resize(ptr, byteCount, alignment < DefaultAlignment ? DefaultAlignment : alignment);
    }

    public static void Clear(void* ptr, nuint byteCount) => SpanHelpers.Fill(ref *(byte*)ptr, byteCount, 0);

    public static void Fill(void* ptr, nuint byteCount, byte value) => SpanHelpers.Fill(ref *(byte*)ptr, byteCount, value);

    public static void Copy(void* source, void* destination, nuint byteCount) => Buffer.Memmove(ref *(byte*)destination, ref *(byte*)source, byteCount);

    private static void* Resize(void* ptr, nuint byteCount, nuint alignment)
    {
        if (ptr == null)
            return AllocateOrFail(byteCount, alignment);
        nuint usable = RuntimeAllocator.HeapUsableSize(ptr);
        if (byteCount <= usable && ((nuint)ptr & (alignment - 1)) == 0 && byteCount >= usable / 2)
            return ptr; // fits, and shrinking keeps at least half in use: no copy
        void* block = AllocateOrFail(byteCount, alignment);
        Buffer.Memmove(ref *(byte*)block, ref *(byte*)ptr, byteCount < usable ? byteCount : usable);
        RuntimeAllocator.HeapFree(ptr);
        return block;
    }

    private static void* AllocateOrFail(nuint byteCount, nuint alignment)
    {
        void* block = RuntimeAllocator.HeapAllocate(byteCount == 0 ? 1 : byteCount, alignment);
        if (block == null)
            RuntimeFailure.Fail("System.OutOfMemoryException", "NativeMemory could not allocate " + ((ulong)byteCount).ToString() + " bytes.");
        return block;
    }

    private static nuint CheckedProduct(nuint count, nuint size)
    {
        if (size != 0 && count > nuint.MaxValue / size)
            RuntimeFailure.Fail("System.OutOfMemoryException", "NativeMemory: element count times element size overflows.");
        return count * size;
    }

    private static void CheckAlignment(nuint alignment)
    {
        if (alignment == 0 || (alignment & (alignment - 1)) != 0)
            RuntimeFailure.Fail("System.ArgumentException", "NativeMemory: the alignment must be a power of two.");
    }
}
