// How the page-table code reaches the frames that hold page tables. The
// loader reaches them through the firmware's identity mapping, the kernel
// through its physical-memory window, host tests through simulated memory.
namespace Shared.Memory;

public unsafe interface IPageTableMemory
{
    /// <summary>A new, zeroed 4 KiB frame for a page table, or false when memory is exhausted.</summary>
    bool TryAllocateTable(out PhysicalAddress table);

    /// <summary>Where the 512 entries of the table in frame <paramref name="table"/> can be read and written.</summary>
    ulong* TableEntries(PhysicalAddress table);

    /// <summary>
    /// Takes back a table frame that PageTableMapper emptied and unlinked (unmap). The mapper guarantees no entry
    /// points to it any more; a memory that never reuses frames may ignore the call.
    /// </summary>
    void FreeTable(PhysicalAddress table);
}
