// The active address space (CR3's page tables), for the few mappings the
// kernel makes itself before it has a full paging subsystem: translating an
// address, and mapping single 4 KiB pages (the IST stacks).
using Kernel.Arch;
using Shared.Memory;

namespace Kernel.Memory;

public static class KernelPageTables
{
    private static PageTableMapper<KernelPageTableMemory> Active => new(default, ControlRegisters.PageTableRoot);

    /// <summary>The physical address and effective leaf flags for <paramref name="virtualAddress"/>, if it is mapped.</summary>
    public static bool TryTranslate(ulong virtualAddress, out ulong physical, out PageTableFlags flags)
    {
        physical = 0;
        flags = PageTableFlags.None;
        if (!VirtualAddress.IsCanonical(virtualAddress))
            return false;
        if (!Active.TryTranslate(VirtualAddress.Truncate(virtualAddress), out PhysicalAddress frame, out flags, out _))
            return false;
        physical = frame.Value;
        return true;
    }

    public static bool IsMapped(ulong virtualAddress) => TryTranslate(virtualAddress, out _, out _);

    /// <summary>Maps one 4 KiB page and flushes its TLB entry. Fails (does not panic) if the page is already mapped.</summary>
    public static MapResult Map(ulong virtualAddress, ulong physical, PageTableFlags flags)
    {
        MapResult result = Active.Map(new VirtualAddress(virtualAddress), new PhysicalAddress(physical), PageSize.Size4KiB, flags);
        if (result == MapResult.Success)
            ControlRegisters.InvalidatePage(VirtualAddress.Truncate(virtualAddress));
        return result;
    }
}
