// The kernel's entry point and start-up sequence. The loader jumps here with
// rcx = the boot information, interrupts off, on the kernel stack, with the
// kernel mapped at 0xFFFF800000000000 and all RAM at the physical-memory offset.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Internal.Runtime;
using Kernel.Acpi;
using Kernel.Arch;
using Kernel.Console;
using Kernel.Diagnostics;
using Kernel.Drivers;
using Kernel.Input;
using Kernel.Memory;
using Kernel.Memory.Heap;
using Kernel.Memory.Gc;
using Kernel.Interrupts.Apic;
using Kernel.Time;
using Shared.Boot;

namespace Kernel;

public static unsafe class KernelMain
{
    public const string Name = "Tessera";
    public const string Version = "0.1.0";

    [UnmanagedCallersOnly(EntryPoint = "KernelMain")]
    private static void Entry(BootInfo* bootInfo)
    {
        // Nothing may allocate before this line (see Internal.Runtime.Startup).
        Startup.Initialize(EarlyHeapRegion.Start, EarlyHeapRegion.Size);
        Start(bootInfo);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Start(BootInfo* bootInfo)
    {
        bool serial = SerialPort.Com1.Initialize();
        Panic.Install();
        string sse = Sse.Enable();
        if (bootInfo == null || !bootInfo->IsValid)
            Panic.Fail("the loader passed no valid boot information (magic, version or size mismatch)");
        KernelState.Initialize(bootInfo);
        KernelMemory.Initialize();
        KernelHeap.Initialize(bootInfo->Config, KernelState.UsableMemoryBytes);
        GarbageCollector.Initialize(bootInfo->Config);
        Interrupts.Exceptions.Initialize();
        string console = KernelConsole.Initialize(bootInfo);

        // Logged once the console is up, so they show on the screen too.
        BootLog.Stage("serial port COM1", serial ? "ok" : "absent");
        BootLog.Stage("boot information", "ok");
        BootLog.Stage("SSE", sse);
        BootLog.Stage("framebuffer", bootInfo->Framebuffer.Describe());
        BootLog.Stage("framebuffer console", console);
        BootLog.Stage("exceptions", "GDT, TSS with 3 IST stacks, IDT with 256 vectors");
        BootLog.Stage("kernel heap", KernelHeap.Describe());
        BootLog.Stage("garbage collector", GarbageCollector.Describe());
        PlatformTables.Initialize();
        BootLog.Stage("physical memory", FrameAllocator.ReclaimBootMemoryAndDescribe());
        InterruptControllers.Initialize(PlatformTables.Interrupts);
        ClockCalibration.Initialize();
        BootLog.Stage("PS/2", Ps2Controller.Initialize());
        InterruptControllers.EnableDelivery(bootInfo->Config.TimerHz);
        BootLog.Stage("executor", Tasks.KernelExecutor.Initialize());

        if (Testing.KernelVariant.RunsTests)
        {
            Testing.TestRunner.Run(bootInfo);
            return;
        }

        BootLog.Banner();
        Faults.TriggerRequested(KernelState.Arguments);
        if (KernelArguments.Has("ps2.echo"))
            KeyboardEcho.Enable();
        Tasks.KernelExecutor.Start();
    }
}
