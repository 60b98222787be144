// Builds the kernel's first page tables: the kernel image with per-section
// permissions (code RX, read-only data R, data RW, all data NX), all physical
// memory at KernelLayout.PhysicalMemoryOffset (RW, NX), the kernel stack with
// an unmapped guard page below it, and the one code page the jump into the
// kernel executes from, identity-mapped (the kernel removes it).
using System;
using Efi.Arch;
using Efi.Uefi;
using Shared.Boot;
using Shared.Memory;

namespace Efi;

/// <summary>Page-table frames from a pool of firmware pages, reached through the firmware's identity mapping.</summary>
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
}

internal static unsafe class AddressSpace
{
    public static EfiStatus Build(
        ReadOnlySpan<byte> kernelFile,
        in LoadedKernel kernel,
        ulong physicalWindowSize,
        ulong stackPhysical,
        ulong stackSize,
        out PhysicalAddress root)
    {
        root = default;
        if (!PageTableMapper<FirmwarePageTableMemory>.TryCreate(default, out PageTableMapper<FirmwarePageTableMemory> mapper))
            return Log.Failure("cannot allocate the top-level page table", EfiStatus.OutOfResources);

        PeImage.TryParse(kernelFile, out PeImage image);
        MapResult result = mapper.MapRange(
            new VirtualAddress(kernel.VirtualBase),
            new PhysicalAddress(kernel.PhysicalBase),
            KernelLayout.PageSize,
            PageTableFlags.NoExecute);
        for (int i = 0; i < image.SectionCount && result == MapResult.Success; i++)
        {
            PeSection section = image.GetSection(i);
            ulong size = ((ulong)section.MemorySize + KernelLayout.PageSize - 1) & ~(KernelLayout.PageSize - 1);
            result = mapper.MapRange(
                new VirtualAddress(kernel.VirtualBase + section.VirtualAddress),
                new PhysicalAddress(kernel.PhysicalBase + section.VirtualAddress),
                size,
                SectionFlags(section));
        }

        if (result != MapResult.Success)
            return Log.Failure("cannot map the kernel image: " + result.ToString(), EfiStatus.OutOfResources);

        result = mapper.MapRange(
            new VirtualAddress(KernelLayout.PhysicalMemoryOffset),
            PhysicalAddress.Zero,
            physicalWindowSize,
            PageTableFlags.Writable | PageTableFlags.NoExecute,
            PageSize.Size2MiB);
        if (result != MapResult.Success)
            return Log.Failure("cannot map physical memory: " + result.ToString(), EfiStatus.OutOfResources);

        result = mapper.MapRange(
            new VirtualAddress(KernelLayout.BootStackBottom),
            new PhysicalAddress(stackPhysical),
            stackSize,
            PageTableFlags.Writable | PageTableFlags.NoExecute);
        if (result != MapResult.Success)
            return Log.Failure("cannot map the kernel stack: " + result.ToString(), EfiStatus.OutOfResources);

        // The jump code runs its last instructions after CR3 changes: map its page(s) where they already are.
        ulong jumpPage = Cpu.EnterKernelAddress() & ~(KernelLayout.PageSize - 1);
        result = mapper.MapRange(new VirtualAddress(jumpPage), new PhysicalAddress(jumpPage), 2 * KernelLayout.PageSize, PageTableFlags.None);
        if (result != MapResult.Success)
            return Log.Failure("cannot map the kernel entry trampoline: " + result.ToString(), EfiStatus.OutOfResources);

        root = mapper.Root;
        return EfiStatus.Success;
    }

    private static PageTableFlags SectionFlags(PeSection section)
    {
        PageTableFlags flags = PageTableFlags.None;
        if (section.IsWritable)
            flags |= PageTableFlags.Writable;
        if (!section.IsExecutable)
            flags |= PageTableFlags.NoExecute;
        return flags;
    }
}
