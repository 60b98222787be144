// The kernel's last words. A panic (an explicit Panic.Fail, a broken runtime
// invariant, an exception nothing can catch) prints what happened and where,
// then stops the machine: interrupts off, hlt forever - or, in a test image,
// reports to the test harness and exits QEMU.
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Internal.Runtime;
using Kernel.Arch;
using Kernel.Drivers;

namespace Kernel.Diagnostics;

public static unsafe class Panic
{
    private static bool s_panicking;
    private static delegate*<string, void> s_hook;

    public static bool IsPanicking => s_panicking;

    /// <summary>Routes runtime failures (bounds checks, bad casts, throws...) here.</summary>
    public static void Install() => RuntimeFailure.SetHandler(&OnRuntimeFailure);

    /// <summary>
    /// Called with the panic message after it is printed and before the machine stops; it must not return
    /// (the test runner uses it to report the running test as failed and exit QEMU).
    /// </summary>
    public static void SetHook(delegate*<string, void> hook) => s_hook = hook;

    [DoesNotReturn]
    public static void Fail(string message, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0, [CallerMemberName] string member = "")
    {
        Report(message, file, line, member);
        Stop(message + " (at " + member + ", " + file + ":" + line.ToString() + ")");
    }

    private static void OnRuntimeFailure(string kind, string message, string detail)
    {
        Report(kind + ": " + message, detail, 0, null);
        Stop(kind + ": " + message);
    }

    private static void Report(string message, string file, int line, string member)
    {
        Cpu.DisableInterrupts();
        SerialPort serial = SerialPort.Com1;
        if (s_panicking)
        {
            // A panic while panicking: print the bare minimum and stop.
            serial.Write("\nPANIC (nested): ");
            serial.Write(message);
            serial.Write("\n");
            Cpu.HaltForever();
        }

        s_panicking = true;
        serial.Write("\n\x1b[1;31mPANIC: ");
        serial.Write(message);
        serial.Write("\x1b[0m\n");
        if (!string.IsNullOrEmpty(file))
        {
            serial.Write("  at ");
            if (member is not null)
            {
                serial.Write(member);
                serial.Write(" (");
            }

            serial.Write(file);
            if (line > 0)
            {
                serial.Write(":");
                serial.Write(line.ToString());
            }

            if (member is not null)
                serial.Write(")");
            serial.Write("\n");
        }
    }

    [DoesNotReturn]
    private static void Stop(string message)
    {
        delegate*<string, void> hook = s_hook;
        if (hook != null)
            hook(message);
        SerialPort.Com1.Write("System halted.\n");
        Cpu.HaltForever();
        while (true)
        {
        }
    }
}
