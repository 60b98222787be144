// Frames for the kernel's first page tables: pages from the firmware, taken
// in pools of 128 and claimed as "page tables" in the memory map. The loader
// reaches them through the firmware's identity mapping (physical = virtual).
using System;
using Efi.Uefi;
using Shared.Boot;
using Shared.Memory;

namespace Efi;

internal unsafe struct FirmwarePageTableMemory : IPageTableMemory
{
    private const ulong PoolPages = 128;
    private static ulong s_poolNext;
    private static ulong s_poolEnd;

    public bool TryAllocateTable(out PhysicalAddress table)
    {
        if (s_poolNext == s_poolEnd)
        {
            if (Firmware.AllocatePages(PoolPages, EfiMemoryType.LoaderData, out ulong pool) != EfiStatus.Success)
            {
                table = default;
                return false;
            }

            Claims.Add(pool, PoolPages * KernelLayout.PageSize, MemoryRegionKind.PageTables);
            s_poolNext = pool;
            s_poolEnd = pool + (PoolPages * KernelLayout.PageSize);
        }

        table = new PhysicalAddress(s_poolNext);
        s_poolNext += KernelLayout.PageSize;
        new Span<byte>((void*)table.Value, (int)KernelLayout.PageSize).Clear();
        return true;
    }

    public ulong* TableEntries(PhysicalAddress table) => (ulong*)table.Value;

    /// <summary>The loader never unmaps, so it never gets a table back; the frames stay claimed either way.</summary>
    public void FreeTable(PhysicalAddress table)
    {
    }
}
