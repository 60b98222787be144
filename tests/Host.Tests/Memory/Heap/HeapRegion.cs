// Host memory for the allocator designs under test: a page-aligned native
// block the design manages (as the kernel's heap region), freed with the test.
using System.Runtime.InteropServices;

namespace Host.Tests.Memory.Heap;

internal sealed unsafe class HostRegion : IDisposable
{
    public HostRegion(nuint capacity, nuint alignment = 4096)
    {
        Capacity = capacity;
        Start = (byte*)NativeMemory.AlignedAlloc(capacity, alignment);
        NativeMemory.Clear(Start, capacity);
    }

    public byte* Start { get; }

    public nuint Capacity { get; }

    public void Dispose() => NativeMemory.AlignedFree(Start);
}
