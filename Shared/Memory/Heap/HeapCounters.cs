// What every allocator design reports about its region, in one shape, so the
// kernel heap's statistics and the host tests read all four the same way.
//
// The accounting is exact: Size == Used + Free + Overhead at every moment,
// where Used counts live blocks with their headers and alignment slack,
// Free counts the bytes the design could still hand out (with the headers
// they would need), and Overhead is fixed bookkeeping (sentinels, bytes of
// an extension too small to use yet).
namespace Shared.Memory.Heap;

public readonly struct HeapCounters
{
    public HeapCounters(ulong size, ulong free, ulong overhead, ulong largestFree)
    {
        Size = size;
        Free = free;
        Overhead = overhead;
        LargestFree = largestFree;
    }

    /// <summary>Bytes of the region the design manages.</summary>
    public ulong Size { get; }

    /// <summary>Bytes in free blocks (including their headers).</summary>
    public ulong Free { get; }

    /// <summary>Bytes that are neither free nor in a live block: sentinels, unusable tails.</summary>
    public ulong Overhead { get; }

    /// <summary>The largest request (in bytes, alignment 16) that would succeed without growing.</summary>
    public ulong LargestFree { get; }

    public ulong Used => Size - Free - Overhead;
}
