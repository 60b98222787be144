// How the kernel reaches page tables: every frame through the physical
// memory window the loader mapped (KernelLayout.PhysicalMemoryOffset), new
// table frames from PageTableFramePool. Shared/Memory/PageTableMapper does
// the walking; this only says where table memory is.
using System;
using Shared.Memory;

namespace Kernel.Memory;

public unsafe struct KernelPageTableMemory : IPageTableMemory
{
    public bool TryAllocateTable(out PhysicalAddress table)
    {
        table = default;
        if (!PageTableFramePool.TryTake(out ulong frame))
            return false;

        // The pool is part of the kernel image: its physical address is whatever the loader mapped it to.
        if (!KernelPageTables.TryTranslate(frame, out ulong physical, out _))
            Diagnostics.Panic.Fail("page-table frame pool page 0x" + frame.ToString("X") + " is not mapped");
        new Span<byte>((void*)frame, 4096).Clear();
        table = new PhysicalAddress(physical);
        return true;
    }

    public ulong* TableEntries(PhysicalAddress table)
    {
        if (table.Value >= KernelState.BootInfo->PhysicalMemoryMappedSize)
            Diagnostics.Panic.Fail("page table at physical 0x" + table.Value.ToString("X") + " lies outside the physical memory window");
        return (ulong*)(KernelState.PhysicalMemoryOffset + table.Value);
    }
}
