// The early heap: memory the kernel image reserves (tools/AsmGen, rt_early_heap)
// for the allocations the runtime makes before any other heap exists.
namespace Kernel.Arch;

public static unsafe class EarlyHeapRegion
{
    public static byte* Start => Native.EarlyHeap();

    public static uint Size => Native.EarlyHeapSize();
}
