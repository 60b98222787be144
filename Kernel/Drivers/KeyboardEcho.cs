// A trace of the keyboard path: kernel argument "ps2.echo" makes the main
// loop print every key event the input pump decodes from the keyboard's
// interrupts, instead of echoing typed characters. Releasing Escape prints
// the interrupt counters, so a test can check that the tick went on while
// keys arrived. tests/Boot.Tests/InterruptKeyboardTests.cs types keys into
// QEMU and reads these lines back:
//
//   [keys] echo ready
//   [keys] down key=<KeyCode number> char=<hex or -> mods=<hex>
//   [keys] up key=<KeyCode number> mods=<hex>
//   [keys] escape: timer <n> ticks at <hz> Hz, keyboard <n>, ... (InterruptControllers.Summary)
using Kernel.Diagnostics;
using Kernel.Input;
using Kernel.Interrupts.Apic;
using Shared.Input;

namespace Kernel.Drivers;

public static unsafe class KeyboardEcho
{
    public static bool IsEnabled { get; private set; }

    /// <summary>Starts tracing key events (the keyboard's interrupts must be enabled for any to arrive).</summary>
    public static void Enable()
    {
        if (!Ps2Keyboard.InterruptsEnabled)
        {
            KernelLog.WriteLine("[keys] echo unavailable (no keyboard interrupts)");
            return;
        }

        IsEnabled = true;
        InputPump.Observe(&Print);
        KernelLog.WriteLine("[keys] echo ready");
    }

    private static void Print(KeyEvent key)
    {
        string text = (key.IsPressed ? "[keys] down key=" : "[keys] up key=") + ((int)key.Key).ToString();
        if (key.IsPressed)
            text += " char=" + (key.HasCharacter ? ((int)key.Character).ToString("X2") : "-");
        KernelLog.WriteLine(text + " mods=" + ((int)key.Modifiers).ToString("X4"));
        if (key.Key == KeyCode.Escape && !key.IsPressed)
            KernelLog.WriteLine("[keys] escape: " + InterruptControllers.Summary());
    }
}
