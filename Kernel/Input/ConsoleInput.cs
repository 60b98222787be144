// The console's input: one queue of key presses that every input source
// feeds and every reader takes from. Sources call Submit (SerialInput and
// InputPump, which decodes what the keyboard and COM1 interrupt handlers
// queued); readers call TryReadKey or ReadKey. Reading first runs the pump,
// or, before the serial port is interrupt-driven, polls the port, so typed
// bytes arrive with interrupts off too.
using Kernel.Arch;
using Shared.Console;

namespace Kernel.Input;

public static class ConsoleInput
{
    private static readonly InputQueue s_queue = new("console input", 256);

    public static InputQueue Queue => s_queue;

    /// <summary>Hands a key from any input source to the readers. Safe in interrupt handlers.</summary>
    public static bool Submit(KeyPress key) => s_queue.TryEnqueue(key);

    public static bool TryReadKey(out KeyPress key)
    {
        if (!SerialInput.InterruptDriven)
            SerialInput.Poll();
        InputPump.Pump();
        return s_queue.TryDequeue(out key);
    }

    /// <summary>
    /// Waits for a key. With interrupts enabled it sleeps (sti; hlt) between checks, so an interrupt-driven source
    /// wakes it; with interrupts off it polls.
    /// </summary>
    public static KeyPress ReadKey()
    {
        while (true)
        {
            bool interrupts = Cpu.InterruptsEnabled;
            Cpu.DisableInterrupts();
            if (TryReadKey(out KeyPress key))
            {
                if (interrupts)
                    Cpu.EnableInterrupts();
                return key;
            }

            // Checking and sleeping with interrupts off, then sti; hlt as one step: no wake-up is lost in between.
            if (interrupts)
                Cpu.EnableInterruptsAndHalt();
            else
                Cpu.Pause();
        }
    }
}
