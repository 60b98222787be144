// A diagnostic for the keyboard path before interrupts: kernel argument
// "ps2.echo" makes the kernel poll the PS/2 controller at start-up, decode
// each scancode and print the key events, until Escape is released or 60
// seconds pass. tests/Boot.Tests/InterruptKeyboardTests.cs types keys into
// QEMU and reads these lines back:
//
//   [keys] echo ready
//   [keys] down key=<KeyCode number> char=<hex or -> mods=<hex>
//   [keys] up key=<KeyCode number> mods=<hex>
//   [keys] echo done
using Kernel.Diagnostics;
using Kernel.Time;
using Shared.Input;

namespace Kernel.Drivers;

public static class KeyboardEcho
{
    private const ulong LimitMicroseconds = 60_000_000;

    public static void Run()
    {
        if (!Ps2Controller.IsReady || !TimeStampCounter.IsCalibrated)
        {
            KernelLog.WriteLine("[keys] echo unavailable (no keyboard or no calibrated clock)");
            return;
        }

        var decoder = new ScancodeDecoder();
        KernelLog.WriteLine("[keys] echo ready");
        ulong start = TimeStampCounter.Read();
        ulong limit = TimeStampCounter.FromMicroseconds(LimitMicroseconds);
        while (TimeStampCounter.Read() - start < limit)
        {
            if (!Ps2Controller.TryReadKeyboardByte(out byte code) || !decoder.TryDecode(code, out KeyEvent key))
                continue;
            KernelLog.WriteLine(Describe(key));
            if (key.Key == KeyCode.Escape && !key.IsPressed)
                break;
        }

        KernelLog.WriteLine("[keys] echo done");
    }

    private static string Describe(KeyEvent key)
    {
        string text = (key.IsPressed ? "[keys] down key=" : "[keys] up key=") + ((int)key.Key).ToString();
        if (key.IsPressed)
            text += " char=" + (key.HasCharacter ? ((int)key.Character).ToString("X2") : "-");
        return text + " mods=" + ((int)key.Modifiers).ToString("X4");
    }
}
