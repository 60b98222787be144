// The UEFI entry point and the loader's stages, in order:
//
//   configuration   kernel.conf beside BOOTX64.EFI (ConfigFile)
//   kernel image    validate the embedded PE, copy it into fresh frames (KernelImage)
//   display         GOP mode within the configured maximum (Graphics)
//   ACPI            a checksum-verified RSDP (RsdpLocator)
//   memory          boot info page, kernel stack, the firmware memory map (MemoryMap)
//   page tables     the kernel's first address space (AddressSpace)
//   exit            ExitBootServices, retried with a fresh map while the key is stale
//   regions         the final map plus the loader's claims (MemoryRegions)
//   jump            NX, WP, PAT, then CR3, stack and entry in one step (Cpu.EnterKernel)
//
// Each stage that fails prints why (with the EFI status) on the firmware
// console and serial, pauses, and returns that status to the firmware.
using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Efi.Arch;
using Efi.Uefi;
using Internal.Runtime;
using Shared.Boot;
using Shared.Memory;

namespace Efi;

internal static unsafe class EfiMain
{
    private const int ExitBootServicesAttempts = 4;

    [DllImport("*", EntryPoint = "rt_early_heap"), SuppressGCTransition]
    private static extern byte* EarlyHeap();

    [DllImport("*", EntryPoint = "rt_early_heap_size"), SuppressGCTransition]
    private static extern uint EarlyHeapSize();

    [UnmanagedCallersOnly(EntryPoint = "EfiMain")]
    private static EfiStatus Entry(void* imageHandle, EfiSystemTable* systemTable)
    {
        ulong entryTsc = Cpu.ReadTimeStampCounter();
        Startup.Initialize(EarlyHeap(), EarlyHeapSize());
        Firmware.Initialize(imageHandle, systemTable);
        RuntimeFailure.SetHandler(&OnRuntimeFailure);
        return Run(entryTsc);
    }

    // A bug in the loader itself (a failed cast, an index out of range...): report it and give
    // control back to the firmware rather than hanging. Past ExitBootServices there is no firmware
    // to return to: the runtime halts after the report.
    private static void OnRuntimeFailure(string kind, string message, string detail)
    {
        Log.Failure("loader bug: " + kind + ": " + message + (detail is null ? "" : " (" + detail + ")"), EfiStatus.Aborted);
        if (!Firmware.ExitAttempted)
            Firmware.Exit(EfiStatus.Aborted);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static EfiStatus Run(ulong entryTsc)
    {
        Firmware.DisableWatchdog();
        BootConfig config = ConfigFile.Load();
        Log.Info("started by " + Firmware.VendorDescription);

        EfiStatus status = KernelImage.Load(KernelImage.Embedded, out PeImage image, out LoadedKernel kernel);
        if (status != EfiStatus.Success)
            return status;

        FramebufferInfo framebuffer = Graphics.Initialize(config);
        ulong rsdp = RsdpLocator.Find(out uint rsdpRevision);

        status = AllocateHandoffMemory(config, framebuffer, out BootInfo* bootInfo, out ulong stackPhysical, out ulong stackSize);
        if (status != EfiStatus.Success)
            return status;

        var map = default(FirmwareMemoryMap);
        status = MemoryMap.Read(ref map, mayAllocate: true);
        if (status != EfiStatus.Success)
        {
            string why = status == EfiStatus.IncompatibleVersion ? ": the firmware reports an impossible descriptor size" : "";
            return Log.Failure("cannot read the memory map" + why, status);
        }

        MemoryMap.Dump(map);
        ulong windowSize = KernelLayout.PhysicalWindowSize(map.View.HighestEnd(), framebuffer.PhysicalBase + framebuffer.SizeBytes);
        if (windowSize == 0)
            return Log.Failure("physical memory reaches beyond the " + (KernelLayout.MaximumPhysicalWindow >> 40).ToString() + " TiB the kernel can map", EfiStatus.Unsupported);

        *bootInfo = new BootInfo
        {
            Magic = BootInfo.ExpectedMagic,
            Version = BootInfo.CurrentVersion,
            Size = (uint)sizeof(BootInfo),
            Framebuffer = framebuffer,
            PhysicalMemoryOffset = KernelLayout.PhysicalMemoryOffset,
            PhysicalMemoryMappedSize = windowSize,
            PhysicalMemoryPageSize = (ulong)(Cpu.SupportsGigabytePages ? PageSize.Size1GiB : PageSize.Size2MiB),
            RsdpPhysical = rsdp,
            RsdpRevision = rsdpRevision,
            KernelPhysicalBase = kernel.PhysicalBase,
            KernelVirtualBase = kernel.VirtualBase,
            KernelImageSize = kernel.Size,
            KernelStackBottom = KernelLayout.BootStackBottom,
            KernelStackTop = KernelLayout.BootStackBottom + stackSize,
            LoaderEntryTsc = entryTsc,
            Config = config,
        };

        status = AddressSpace.Build(image, kernel, stackPhysical, bootInfo);
        if (status != EfiStatus.Success)
            return status;
        return ExitAndJump(ref map, bootInfo, kernel, config.DebugFlags);
    }

    // The pages the kernel keeps: one for the boot information, the boot stack; and the
    // framebuffer, claimed so the memory map marks it.
    private static EfiStatus AllocateHandoffMemory(in BootConfig config, in FramebufferInfo framebuffer, out BootInfo* bootInfo, out ulong stackPhysical, out ulong stackSize)
    {
        bootInfo = null;
        stackPhysical = 0;
        stackSize = Math.Max(config.KernelStackSize, KernelLayout.MinimumKernelStackSize);
        EfiStatus status = Firmware.AllocatePages(1, EfiMemoryType.LoaderData, out ulong bootInfoPhysical);
        if (status != EfiStatus.Success)
            return Log.Failure("cannot allocate the boot information page", status);
        Claims.Add(bootInfoPhysical, KernelLayout.PageSize, MemoryRegionKind.BootInfo);
        bootInfo = (BootInfo*)bootInfoPhysical;
        new Span<byte>(bootInfo, (int)KernelLayout.PageSize).Clear();

        status = Firmware.AllocatePages(stackSize / KernelLayout.PageSize, EfiMemoryType.LoaderData, out stackPhysical);
        if (status != EfiStatus.Success)
            return Log.Failure("cannot allocate the " + (stackSize / 1024).ToString() + " KiB kernel stack", status);
        Claims.Add(stackPhysical, stackSize, MemoryRegionKind.KernelStack);

        if (framebuffer.Format != PixelFormat.None)
        {
            ulong first = framebuffer.PhysicalBase & ~(KernelLayout.PageSize - 1);
            Claims.Add(first, PageAlign(framebuffer.PhysicalBase - first + framebuffer.SizeBytes), MemoryRegionKind.Framebuffer);
        }

        return EfiStatus.Success;
    }

    // The point of no return: reserve the region list, leave the firmware, convert the final map, jump.
    private static EfiStatus ExitAndJump(ref FirmwareMemoryMap map, BootInfo* bootInfo, in LoadedKernel kernel, DebugFlags debug)
    {
        EfiStatus status = MemoryRegions.Reserve(map, out MemoryRegions regions);
        if (status != EfiStatus.Success)
            return Log.Failure("cannot allocate the memory region list", status);
        bootInfo->MemoryRegions = (MemoryRegion*)(regions.PhysicalAddress + KernelLayout.PhysicalMemoryOffset);

        Log.Info("exiting boot services");
        status = ExitBootServices(ref map, (debug & DebugFlags.StaleMapKey) != 0);
        if (status != EfiStatus.Success)
            return Log.Failure("ExitBootServices failed", status);

        // From here on: no firmware calls, no allocations from the firmware.
        int regionCount = regions.Build(map);
        if (regionCount < 0)
            RuntimeFailure.Fail("loader", "the memory map has more regions than the loader reserved room for");
        bootInfo->MemoryRegionCount = (ulong)regionCount;

        Jump(bootInfo, kernel);
        return EfiStatus.LoadError;
    }

    // The map key goes stale whenever the firmware allocates (or an event fires) between reading
    // the map and exiting: re-read the map into the same buffer and retry, a bounded number of times.
    // After the first attempt only GetMemoryMap and ExitBootServices may be called, so nothing here
    // allocates or writes to the firmware console. With staleKeyTest (kernel.conf "debug = stale-map-key")
    // the first attempt allocates a page after reading the map - what a firmware event doing so looks like -
    // so the retry path runs for real.
    private static EfiStatus ExitBootServices(ref FirmwareMemoryMap map, bool staleKeyTest)
    {
        EfiStatus status = EfiStatus.Success;
        if (staleKeyTest)
            Log.Info("debug: the first ExitBootServices will meet a stale map key");
        for (int attempt = 1; attempt <= ExitBootServicesAttempts; attempt++)
        {
            status = MemoryMap.Read(ref map, mayAllocate: false);
            if (status != EfiStatus.Success)
                return status;
            if (staleKeyTest && attempt == 1)
                Firmware.AllocatePages(1, EfiMemoryType.LoaderData, out _);
            status = Firmware.ExitBootServices(map.MapKey);
            if (status == EfiStatus.Success)
                return status;
            Log.Info("ExitBootServices attempt " + attempt.ToString() + ": " + EfiStatusNames.Name(status) + " (stale map key), retrying");
            if (status != EfiStatus.InvalidParameter)
                return status;
        }

        return status;
    }

    // The last steps on the firmware's page tables: CPU settings the kernel's tables rely on,
    // then one machine-code step that switches CR3 and the stack and calls the kernel.
    private static void Jump(BootInfo* bootInfo, in LoadedKernel kernel)
    {
        Cpu.DisableInterrupts();
        Cpu.EnableNoExecute();
        Cpu.EnableWriteProtect();
        if ((bootInfo->Framebuffer.Flags & FramebufferFlags.WriteCombining) != 0)
            Cpu.SetPatEntry1WriteCombining();
        Log.Info("jumping to the kernel at 0x" + kernel.EntryPoint.ToString("X") + " (" + bootInfo->MemoryRegionCount.ToString() + " memory regions)");
        bootInfo->LoaderExitTsc = Cpu.ReadTimeStampCounter();
        Cpu.EnterKernel(bootInfo->PageTableRootPhysical, bootInfo->KernelStackTop, kernel.EntryPoint, (ulong)bootInfo + KernelLayout.PhysicalMemoryOffset);
    }

    private static ulong PageAlign(ulong size) => (size + KernelLayout.PageSize - 1) & ~(KernelLayout.PageSize - 1);
}
