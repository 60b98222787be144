// What the kernel does once it is up, until the async executor replaces it:
// sleep until an interrupt brings work, then do it. The work is input - the
// pump decodes what the keyboard and COM1 handlers queued, and typed
// characters are echoed to the console (and so to serial) - plus reporting
// what the interrupt handlers only counted (APIC errors, stray 8259
// interrupts). Idle.WaitFor checks for work with interrupts off and sleeps
// with sti; hlt, so an interrupt between the check and the hlt still wakes it.
using Kernel.Console;
using Kernel.Drivers;
using Kernel.Input;
using Kernel.Interrupts.Apic;
using Kernel.Time;
using Shared.Console;

namespace Kernel;

public static unsafe class MainLoop
{
    public static void Run()
    {
        while (true)
        {
            Idle.WaitFor(&HasWork);
            InterruptControllers.ReportEvents();
            InputPump.Pump();
            while (ConsoleInput.TryReadKey(out KeyPress key))
            {
                if (!KeyboardEcho.IsEnabled && key.IsCharacter)
                    KernelConsole.Write(key.Character);
            }
        }
    }

    private static bool HasWork() => InputPump.HasWork || ConsoleInput.Queue.Count != 0 || InterruptControllers.HasEventsToReport;
}
