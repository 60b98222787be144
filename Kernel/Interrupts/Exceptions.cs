// Start-up of exception handling: after Initialize, every CPU exception on
// this processor reaches a handler that reports it, on a known-good stack
// where the interrupted one cannot be trusted.
//
//   1. map the IST stacks (with guard pages) and put their tops in the TSS
//   2. load the GDT (kernel/user segments, TSS descriptor), reload CS/SS/DS/ES/FS/GS, ltr
//   3. fill the IDT (256 gates to the entry stubs; #DF, NMI, #MC on their IST stacks), lidt
using Kernel.Arch;

namespace Kernel.Interrupts;

public static unsafe class Exceptions
{
    public static bool IsInitialized { get; private set; }

    public static void Initialize()
    {
        TaskStateSegment* tss = Tss.BootProcessor;
        *tss = TaskStateSegment.Create();
        InterruptStacks.Initialize(tss);
        Gdt.Load(tss);
        Idt.Load();
        IsInitialized = true;
    }
}
