// What each CPU exception does. A breakpoint is the one exception the kernel
// resumes from: it logs where it happened and returns (int3 is a trap, so
// the saved RIP already points past it). Everything else - page faults,
// general protection, invalid opcodes, divide errors, double faults, NMIs,
// machine checks - means the kernel can no longer trust its own state: it
// reports (FaultReport) and stops - unless it is a null dereference or a
// division by zero in compiled C#, which becomes the C# exception .NET would
// throw there (HardwareExceptions).
using System;
using Kernel.Arch;
using Kernel.Diagnostics;

namespace Kernel.Interrupts;

public static unsafe class ExceptionHandlers
{
    private static ulong s_lastBreakpointRip;

    /// <summary>The RIP saved by the most recent breakpoint (the instruction after the int3).</summary>
    public static ulong LastBreakpointRip => s_lastBreakpointRip;

    public static void Handle(InterruptFrame* frame)
    {
        if (frame->Vector == (ulong)ExceptionVector.Breakpoint)
        {
            OnBreakpoint(frame);
            return;
        }

        if (HardwareExceptions.TryRedirectToThrow(frame))
            return;

        FaultReport.ReportAndHalt(frame);
    }

    private static void OnBreakpoint(InterruptFrame* frame)
    {
        s_lastBreakpointRip = frame->Rip;
        Span<char> buffer = stackalloc char[256];
        var line = new ReportWriter(buffer);
        line.Append("BREAKPOINT (#BP, vector 3) at RIP ");
        line.Hex64(frame->Rip);
        Span<char> symbol = stackalloc char[160];
        int length = Symbols.Describe(frame->Rip, symbol);
        if (length > 0)
        {
            line.Append(" in ");
            line.Append(symbol.Slice(0, length));
        }

        line.Append(": resuming");
        KernelLog.WriteLine(line.Text);
    }
}
