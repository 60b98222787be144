// The kernel's last words. A panic (an explicit Panic.Fail, a broken runtime
// invariant, an exception nothing can catch, a deadlock) prints what happened
// and where - in red, on the screen and on serial - then stops the machine:
// interrupts off, hlt forever; or, in a test image, reports to the test
// harness and exits QEMU.
//
// The panic may come from inside the console (a fault while it held its
// lock), so it takes the console over instead of waiting for it. A panic
// while panicking prints a bare line straight to the serial port and halts.
// Nothing here needs the heap on the first panic's way to the screen.
using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Internal.Runtime;
using Kernel.Arch;
using Kernel.Console;
using Kernel.Drivers;

namespace Kernel.Diagnostics;

public static unsafe class Panic
{
    private const string Red = "\x1b[1;31m";
    private const string Reset = "\x1b[0m";

    private static bool s_panicking;
    private static delegate*<string, void> s_hook;

    public static bool IsPanicking => s_panicking;

    /// <summary>Routes runtime failures (bounds checks, bad casts, throws...) here.</summary>
    public static void Install()
    {
        RuntimeFailure.SetHandler(&OnRuntimeFailure);
        StackTraceSymbols.SetResolver(&Symbols.DescribeFrame);
    }

    /// <summary>
    /// Called with the panic message after it is printed and before the machine stops; it must not return
    /// (the test runner uses it to report the running test as failed and exit QEMU).
    /// </summary>
    public static void SetHook(delegate*<string, void> hook) => s_hook = hook;

    /// <summary>Stops the kernel with <paramref name="message"/>, naming the caller's method, file and line.</summary>
    [DoesNotReturn]
    public static void Fail(string message, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0, [CallerMemberName] string member = "")
    {
        ReadOnlySpan<char> path = ShortPath(file);
        Report(null, message, member, path, line);
        Stop(message + " (at " + member + ", " + path.ToString() + ":" + line.ToString() + ")");
    }

    /// <summary>
    /// Stops the kernel with a report that already says where the failure happened (a CPU exception report
    /// names RIP and its symbol), so the reporting code's own location is left out.
    /// </summary>
    [DoesNotReturn]
    public static void FailWithReport(string report)
    {
        Report(null, report, null, default, 0);
        Stop(report);
    }

    private static void OnRuntimeFailure(string kind, string message, string detail)
    {
        Report(kind, message, null, detail, 0);
        Stop(kind + ": " + message);
    }

    // "PANIC: [kind: ]message" and "  at member (file:line)", in red, through the console taken over.
    private static void Report(string kind, string message, string member, ReadOnlySpan<char> file, int line)
    {
        Cpu.DisableInterrupts();
        if (s_panicking)
        {
            // A panic while panicking (the console itself may be what fails): the bare minimum, straight to serial.
            SerialPort serial = SerialPort.Com1;
            serial.RecoverForPanic();
            serial.Write("\nPANIC (while panicking): ");
            serial.Write(message);
            serial.Write("\nSystem halted.\n");
            Cpu.HaltForever();
        }

        s_panicking = true;
        KernelConsole.TakeOverForPanic();
        KernelConsole.Write("\n" + Red + "PANIC: ");
        if (kind is not null)
        {
            KernelConsole.Write(kind);
            KernelConsole.Write(": ");
        }

        KernelConsole.Write(message);
        KernelConsole.Write(Reset + "\n");
        string task = Tasks.KernelExecutor.CurrentTaskDescription();
        if (task is not null)
            KernelConsole.Write(Red + "  in " + task + Reset + "\n");
        if (file.IsEmpty)
            return;

        KernelConsole.Write(Red + "  at ");
        if (member is not null)
        {
            KernelConsole.Write(member);
            KernelConsole.Write(" (");
        }

        KernelConsole.Write(file);
        if (line > 0)
            KernelConsole.Write($":{line}");
        if (member is not null)
            KernelConsole.Write(")");
        KernelConsole.Write(Reset + "\n");
    }

    [DoesNotReturn]
    private static void Stop(string message)
    {
        delegate*<string, void> hook = s_hook;
        if (hook != null)
            hook(message);
        KernelConsole.Write("System halted.\n");
        Cpu.HaltForever();
        while (true)
        {
        }
    }

    // [CallerFilePath] is the build machine's absolute path; from the repository's top folder on is what matters.
    private static ReadOnlySpan<char> ShortPath(string path)
    {
        ReadOnlySpan<char> text = path.AsSpan();
        int index = LastIndexOf(text, "/Kernel/");
        if (index < 0)
            index = LastIndexOf(text, "/Shared/");
        return index >= 0 ? text.Slice(index + 1) : text;
    }

    private static int LastIndexOf(ReadOnlySpan<char> text, ReadOnlySpan<char> value)
    {
        for (int i = text.Length - value.Length; i >= 0; i--)
        {
            if (text.Slice(i, value.Length).SequenceEqual(value))
                return i;
        }

        return -1;
    }
}
