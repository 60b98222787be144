// How the kernel reaches page tables: every table frame through the physical
// memory window, new tables from the frame allocator (zeroed), emptied ones
// back to it. Shared/Memory/PageTableMapper does the walking; this only says
// where table memory comes from and goes.
using System;
using Shared.Memory;

namespace Kernel.Memory;

public readonly unsafe struct KernelPageTableMemory : IPageTableMemory
{
    public bool TryAllocateTable(out PhysicalAddress table)
    {
        bool allocated = FrameAllocator.TryAllocateZeroed(out PhysicalFrame<Size4KiB> frame);
        table = frame.Start;
        return allocated;
    }

    public ulong* TableEntries(PhysicalAddress table) => (ulong*)PhysicalWindow.Pointer(table);

    public void FreeTable(PhysicalAddress table) => FrameAllocator.Free(PhysicalFrame<Size4KiB>.FromStart(table));
}
