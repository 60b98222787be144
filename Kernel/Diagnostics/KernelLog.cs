// Where the kernel's ordinary output goes: the boot log, fault reports that
// do not end the kernel (breakpoints), test output. It is the console
// (Kernel/Console): the screen, mirrored to the serial port. The panic path
// has its own way through the console (Panic), since it must work even when
// the console is busy.
using System;
using Kernel.Console;
using Shared.Console;

namespace Kernel.Diagnostics;

public static class KernelLog
{
    public static void Write(string text) => KernelConsole.Write(text);

    public static void Write(ReadOnlySpan<char> text) => KernelConsole.Write(text);

    /// <summary>$"..." formatted without allocating (see InterpolatedTextHandler).</summary>
    public static void Write(ref InterpolatedTextHandler<ConsoleSink> text) => text.Flush();

    /// <summary>One line, written as one piece (never torn by output from an interrupt handler).</summary>
    public static void WriteLine(string text) => KernelConsole.WriteLine(text);

    public static void WriteLine(ReadOnlySpan<char> text) => KernelConsole.WriteLine(text);

    public static void WriteLine(ref InterpolatedTextHandler<ConsoleSink> text) => KernelConsole.WriteLine(ref text);
}
