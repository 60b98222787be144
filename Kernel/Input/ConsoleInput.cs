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

    private static volatile bool s_interceptCtrlC;
    private static volatile bool s_ctrlCIntercepted;

    /// <summary>
    /// While true, a Ctrl-C is not queued as a key but remembered for TakeInterceptedCtrlC (the shell's running
    /// command is to be canceled, and keys typed meanwhile must stay queued for the next prompt).
    /// </summary>
    public static bool InterceptCtrlC
    {
        get => s_interceptCtrlC;
        set
        {
            s_interceptCtrlC = value;
            s_ctrlCIntercepted = false;
        }
    }

    /// <summary>Hands a key from any input source to the readers. Safe in interrupt handlers.</summary>
    public static bool Submit(KeyPress key)
    {
        if (key.IsCharacter && key.Character == '\x03' && s_interceptCtrlC)
        {
            s_ctrlCIntercepted = true;
            return true;
        }

        return s_queue.TryEnqueue(key);
    }

    /// <summary>True once after a Ctrl-C was intercepted (InterceptCtrlC).</summary>
    public static bool TakeInterceptedCtrlC()
    {
        if (!s_ctrlCIntercepted)
            return false;
        s_ctrlCIntercepted = false;
        return true;
    }

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
