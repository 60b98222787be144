// The kernel's entry point and start-up sequence. The loader jumps here with
// rcx = the boot information, interrupts off, on the kernel stack, with the
// kernel mapped at 0xFFFF800000000000 and all RAM at the physical-memory offset.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Internal.Runtime;
using Kernel.Arch;
using Kernel.Diagnostics;
using Kernel.Drivers;
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
        Startup.Initialize(Native.EarlyHeap(), Native.EarlyHeapSize());
        Start(bootInfo);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Start(BootInfo* bootInfo)
    {
        bool serial = SerialPort.Com1.Initialize();
        Panic.Install();
        BootLog.Stage("serial port COM1", serial ? "ok" : "absent");

        if (bootInfo == null || !bootInfo->IsValid)
            Panic.Fail("the loader passed no valid boot information (magic, version or size mismatch)");
        BootLog.Stage("boot information", "ok");
        KernelState.Initialize(bootInfo);
        Interrupts.Exceptions.Initialize();
        BootLog.Stage("exceptions", "GDT, TSS with 3 IST stacks, IDT with 256 vectors");

#if KERNEL_TESTS
        Testing.TestRunner.Run(bootInfo);
#else
        BootLog.Banner();
        Faults.TriggerRequested(KernelState.Arguments);
        while (true)
            Cpu.Halt();
#endif
    }
}
