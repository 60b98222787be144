// The UEFI entry point and the loader's stages, in order:
//   runtime up -> kernel image loaded -> memory for stack and boot info ->
//   page tables -> final memory map -> ExitBootServices -> jump.
// Each stage that fails prints why (with the EFI status) and returns that
// status to the firmware.
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
    // control back to the firmware rather than hanging.
    private static void OnRuntimeFailure(string kind, string message, string detail)
    {
        Log.Failure("loader bug: " + kind + ": " + message + (detail is null ? "" : " (" + detail + ")"), EfiStatus.Aborted);
        if (!Firmware.BootServicesExited)
            Firmware.Exit(EfiStatus.Aborted);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static EfiStatus Run(ulong entryTsc)
    {
        Log.Info("started");
        Firmware.DisableWatchdog();
        BootConfig config = ConfigFile.Load();

        ReadOnlySpan<byte> kernelFile = KernelImage.Embedded;
        EfiStatus status = KernelImage.Load(kernelFile, out LoadedKernel kernel);
        if (status != EfiStatus.Success)
            return status;
        Log.Info("kernel image loaded at physical 0x" + kernel.PhysicalBase.ToString("X") + " (" + (kernel.Size / 1024).ToString() + " KiB)");

        ulong stackSize = config.KernelStackSize;
        status = Firmware.AllocatePages(stackSize / KernelLayout.PageSize, EfiMemoryType.LoaderData, out ulong stackPhysical);
        if (status != EfiStatus.Success)
            return Log.Failure("cannot allocate the kernel stack", status);
        Claims.Add(stackPhysical, stackSize, MemoryRegionKind.KernelStack);

        status = Firmware.AllocatePages(1, EfiMemoryType.LoaderData, out ulong bootInfoPhysical);
        if (status != EfiStatus.Success)
            return Log.Failure("cannot allocate the boot information page", status);
        Claims.Add(bootInfoPhysical, KernelLayout.PageSize, MemoryRegionKind.BootInfo);
        var bootInfo = (BootInfo*)bootInfoPhysical;
        new Span<byte>(bootInfo, (int)KernelLayout.PageSize).Clear();

        var firmwareMap = default(FirmwareMemoryMap);
        status = MemoryMap.Read(ref firmwareMap);
        if (status != EfiStatus.Success)
            return Log.Failure("cannot read the memory map", status);

        FramebufferInfo framebuffer = Gop.QueryCurrentMode(); // temporary, see Gop.cs
        ulong windowSize = Math.Max(Math.Max(KernelLayout.MinimumPhysicalWindow, MemoryMap.HighestAddress(firmwareMap)), Gop.End(framebuffer));
        windowSize = (windowSize + (1UL << 30) - 1) & ~((1UL << 30) - 1);

        status = AddressSpace.Build(kernelFile, kernel, windowSize, stackPhysical, stackSize, out PhysicalAddress root);
        if (status != EfiStatus.Success)
            return status;

        // Buffers for the conversion, sized for the map plus what later allocations can add.
        int capacity = firmwareMap.Count + Claims.Count + 64;
        ulong regionBytes = (ulong)(capacity * sizeof(MemoryRegion));
        ulong scratchPages = ((regionBytes * 2) + ((ulong)capacity * 16) + KernelLayout.PageSize - 1) / KernelLayout.PageSize;
        status = Firmware.AllocatePages(scratchPages, EfiMemoryType.LoaderData, out ulong regionsPhysical);
        if (status != EfiStatus.Success)
            return Log.Failure("cannot allocate the memory region list", status);
        Claims.Add(regionsPhysical, scratchPages * KernelLayout.PageSize, MemoryRegionKind.BootInfo);

        bootInfo->Magic = BootInfo.ExpectedMagic;
        bootInfo->Version = BootInfo.CurrentVersion;
        bootInfo->Size = (uint)sizeof(BootInfo);
        bootInfo->PhysicalMemoryOffset = KernelLayout.PhysicalMemoryOffset;
        bootInfo->PhysicalMemoryMappedSize = windowSize;
        bootInfo->KernelPhysicalBase = kernel.PhysicalBase;
        bootInfo->KernelVirtualBase = kernel.VirtualBase;
        bootInfo->KernelImageSize = kernel.Size;
        bootInfo->KernelStackBottom = KernelLayout.BootStackBottom;
        bootInfo->KernelStackTop = KernelLayout.BootStackBottom + stackSize;
        bootInfo->PageTableRootPhysical = root.Value;
        bootInfo->RsdpPhysical = FindRsdp();
        bootInfo->LoaderEntryTsc = entryTsc;
        bootInfo->Config = config;
        bootInfo->Framebuffer = framebuffer;

        Log.Info("exiting boot services");
        status = ExitBootServices(ref firmwareMap);
        if (status != EfiStatus.Success)
            return Log.Failure("ExitBootServices failed", status);

        // From here on: no firmware calls, no allocations from the firmware.
        var scratch = new Span<MemoryRegion>((void*)regionsPhysical, capacity);
        var output = new Span<MemoryRegion>((void*)(regionsPhysical + regionBytes), capacity);
        var boundaries = new Span<ulong>((void*)(regionsPhysical + (2 * regionBytes)), capacity * 2);
        int regionCount = MemoryMap.Convert(firmwareMap, scratch, boundaries, output);
        if (regionCount < 0)
            RuntimeFailure.Fail("loader", "the memory map has more regions than the loader reserved room for");

        bootInfo->MemoryRegions = (MemoryRegion*)(regionsPhysical + regionBytes + KernelLayout.PhysicalMemoryOffset);
        bootInfo->MemoryRegionCount = (ulong)regionCount;

        Cpu.DisableInterrupts();
        Cpu.EnableNoExecute();
        Cpu.EnableWriteProtect();
        Serial.Write("loader: jumping to the kernel\n");
        bootInfo->LoaderExitTsc = Cpu.ReadTimeStampCounter();
        Cpu.EnterKernel(root.Value, bootInfo->KernelStackTop, kernel.EntryPoint, bootInfoPhysical + KernelLayout.PhysicalMemoryOffset);
        return EfiStatus.LoadError;
    }

    // ACPI 2.0+ RSDP first (it has the XSDT), the 1.0 one as a fallback; 0 when neither exists.
    private static ulong FindRsdp()
    {
        void* rsdp = Firmware.FindConfigurationTable(EfiGuid.Acpi20Table);
        if (rsdp == null)
            rsdp = Firmware.FindConfigurationTable(EfiGuid.Acpi10Table);
        if (rsdp == null)
            Log.Warning("the firmware provides no ACPI RSDP");
        return (ulong)rsdp;
    }

    // The map key goes stale whenever the firmware allocates; re-read the map and retry a bounded number of times.
    private static EfiStatus ExitBootServices(ref FirmwareMemoryMap map)
    {
        EfiStatus status = EfiStatus.Success;
        for (int attempt = 0; attempt < ExitBootServicesAttempts; attempt++)
        {
            status = MemoryMap.Read(ref map);
            if (status != EfiStatus.Success)
                return status;
            status = Firmware.ExitBootServices(map.MapKey);
            if (status == EfiStatus.Success)
                return status;
        }

        return status;
    }
}
