// The active page tables as the kernel reaches them: every table frame is
// read and written through the physical-memory window the loader mapped at
// BootInfo.PhysicalMemoryOffset. Walking and editing are Shared/Memory's
// PageTableMapper; this supplies the frames' addresses. Mapping that needs
// new tables waits for the frame allocator: until then allocation fails.
using Shared.Memory;
using Kernel.Arch;

namespace Kernel.Memory;

public readonly unsafe struct PhysicalWindowTables : IPageTableMemory
{
    /// <summary>The tables CR3 points at.</summary>
    public static PageTableMapper<PhysicalWindowTables> Active => new(default, ControlRegisters.PageTableRoot);

    public bool TryAllocateTable(out PhysicalAddress table)
    {
        table = default;
        return false;
    }

    public ulong* TableEntries(PhysicalAddress table) => (ulong*)(KernelState.PhysicalMemoryOffset + table.Value);
}
