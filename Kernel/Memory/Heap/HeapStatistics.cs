// A snapshot of the kernel heap's numbers, for the shell's `heap` command,
// the boot log and the out-of-memory panic.
using Shared.Boot;
using Shared.Memory.Heap;

namespace Kernel.Memory.Heap;

public readonly struct HeapStatistics
{
    public HeapStatistics(
        AllocatorKind design, ulong size, ulong used, ulong free, ulong largestFree, ulong allocations, ulong frees, ulong liveBlocks,
        ulong growths, ulong collections, ulong maximum)
    {
        Design = design;
        Size = size;
        Used = used;
        Free = free;
        LargestFree = largestFree;
        Allocations = allocations;
        Frees = frees;
        LiveBlocks = liveBlocks;
        Growths = growths;
        Collections = collections;
        Maximum = maximum;
    }

    public AllocatorKind Design { get; }

    /// <summary>Bytes of the region the design manages now.</summary>
    public ulong Size { get; }

    /// <summary>Bytes in live blocks, with their headers and alignment slack.</summary>
    public ulong Used { get; }

    /// <summary>Bytes the design can still hand out without growing.</summary>
    public ulong Free { get; }

    /// <summary>The largest request that succeeds without growing.</summary>
    public ulong LargestFree { get; }

    public ulong Allocations { get; }

    public ulong Frees { get; }

    public ulong LiveBlocks { get; }

    /// <summary>How often the heap region grew.</summary>
    public ulong Growths { get; }

    /// <summary>How often the collector was asked for memory.</summary>
    public ulong Collections { get; }

    /// <summary>How large the heap region may become (heap.max).</summary>
    public ulong Maximum { get; }

    /// <summary>Lines for the shell's `heap` command (per-class counts from KernelHeap.ClassAllocations).</summary>
    public string Describe()
    {
        string text = "heap: " + HeapEngine.NameOf(Design) + ", size " + (Size >> 10).ToString() + " KiB of at most " + (Maximum >> 10).ToString() + " KiB\n"
            + "  used " + Used.ToString() + " B, free " + Free.ToString() + " B, largest free block " + LargestFree.ToString() + " B\n"
            + "  allocations " + Allocations.ToString() + ", frees " + Frees.ToString() + ", live blocks " + LiveBlocks.ToString()
            + ", growths " + Growths.ToString() + ", collections " + Collections.ToString() + "\n  by size class:";
        for (int i = 0; i < KernelHeap.StatisticsClassCount; i++)
        {
            string name = i < FixedSizeBlockHeap.ClassCount ? (8 << i).ToString() : ">2048";
            text += " " + name + ":" + KernelHeap.ClassAllocations(i).ToString();
        }

        return text + "\n";
    }
}
