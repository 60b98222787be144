// The page-table stage: builds the kernel's first address space (layout and
// permissions in Shared/Boot/KernelAddressSpace.cs) from what the earlier
// stages recorded in the boot information, and records what it mapped there.
using System;
using Efi.Arch;
using Efi.Uefi;
using Shared.Boot;
using Shared.Memory;

namespace Efi;

internal static unsafe class AddressSpace
{
    /// <summary>
    /// Maps the kernel image, the physical window (PhysicalMemoryMappedSize, PhysicalMemoryPageSize), the
    /// framebuffer (if any), the stack (KernelStackBottom..Top, backed by <paramref name="stackPhysical"/>) and
    /// the jump code; fills in the framebuffer's virtual address, the page-table root and the identity range.
    /// </summary>
    public static EfiStatus Build(in PeImage image, in LoadedKernel kernel, ulong stackPhysical, BootInfo* bootInfo)
    {
        if (!KernelAddressSpace<FirmwarePageTableMemory>.TryCreate(default, out KernelAddressSpace<FirmwarePageTableMemory> space))
            return Log.Failure("cannot allocate the top-level page table", EfiStatus.OutOfResources);

        MapResult result = space.MapKernelImage(image, new PhysicalAddress(kernel.PhysicalBase));
        if (result != MapResult.Success)
            return Failed("the kernel image", result);

        result = space.MapPhysicalWindow(bootInfo->PhysicalMemoryMappedSize, (PageSize)bootInfo->PhysicalMemoryPageSize);
        if (result != MapResult.Success)
            return Failed("physical memory", result);

        ref FramebufferInfo framebuffer = ref bootInfo->Framebuffer;
        if (framebuffer.Format != PixelFormat.None)
        {
            bool writeCombining = Cpu.SupportsPat;
            result = space.MapFramebuffer(new PhysicalAddress(framebuffer.PhysicalBase), framebuffer.SizeBytes, writeCombining, out VirtualAddress virtualBase);
            if (result != MapResult.Success)
                return Failed("the framebuffer", result);
            framebuffer.VirtualBase = virtualBase.Value;
            framebuffer.Flags = writeCombining ? FramebufferFlags.WriteCombining : FramebufferFlags.None;
        }

        result = space.MapStack(new PhysicalAddress(stackPhysical), bootInfo->KernelStackTop - bootInfo->KernelStackBottom);
        if (result != MapResult.Success)
            return Failed("the kernel stack", result);

        // The jump code runs its last instructions after CR3 changes: map it where it already is.
        result = space.MapIdentity(Cpu.EnterKernelAddress(), Cpu.EnterKernelMaxBytes, out ulong identityStart, out ulong identityLength);
        if (result != MapResult.Success)
            return Failed("the kernel entry trampoline", result);
        bootInfo->IdentityMappedStart = identityStart;
        bootInfo->IdentityMappedLength = identityLength;

        bootInfo->PageTableRootPhysical = space.Root.Value;
        Log.Info("page tables built at 0x" + space.Root.Value.ToString("X") + ": physical memory 0-" + (bootInfo->PhysicalMemoryMappedSize >> 30).ToString()
            + " GiB in " + ((bootInfo->PhysicalMemoryPageSize == (ulong)PageSize.Size1GiB) ? "1 GiB" : "2 MiB") + " pages"
            + (framebuffer.Flags == FramebufferFlags.WriteCombining ? ", framebuffer write-combining" : ""));
        return EfiStatus.Success;
    }

    private static EfiStatus Failed(string what, MapResult result)
        => Log.Failure("cannot map " + what + ": " + Describe(result), result == MapResult.OutOfMemory ? EfiStatus.OutOfResources : EfiStatus.LoadError);

    private static string Describe(MapResult result) => result switch
    {
        MapResult.OutOfMemory => "out of memory for page tables",
        MapResult.AlreadyMapped => "part of the range is already mapped",
        MapResult.HugePageConflict => "part of the range lies under a huge page",
        MapResult.Misaligned => "the range is not page aligned",
        MapResult.InvalidRange => "the range is outside where it belongs",
        _ => "unknown error",
    };
}
