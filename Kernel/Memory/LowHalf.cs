// Empties the low half of the address space at start-up. The loader leaves
// exactly one thing there: the page of its jump code, identity-mapped because
// the CPU executes it while CR3 changes (BootInfo.IdentityMappedStart). After
// the jump nothing needs it, and an empty low half means a null or other
// low-address dereference faults instead of reading loader leftovers.
using Kernel.Arch;
using Shared.Memory;

namespace Kernel.Memory;

public static class LowHalf
{
    /// <summary>Top-level entries 0..255 cover the low half (0 to 0x0000_7FFF_FFFF_FFFF).</summary>
    public const int TopLevelEntries = 256;

    /// <summary>
    /// Clears top-level entries 0..255 of the active tables and reloads CR3 so no stale low-half translation
    /// survives in the TLB. The caller guarantees that nothing it still uses lives in the low half: the stack,
    /// the code and the boot information are all higher-half mappings when the loader jumps.
    /// </summary>
    public static void Unmap()
    {
        PageTableMapper<KernelPageTableMemory> tables = KernelPageTables.Active;
        tables.ClearTopLevelEntries(0, TopLevelEntries);
        // The same tables as before, minus the low half this method's caller no longer uses (above).
        unsafe
        {
            ControlRegisters.LoadPageTableRoot(tables.Root);
        }
    }
}
