// `fault <kind>`: raises one of the CPU faults of Diagnostics/Faults.cs and
// shows its report (every kind but breakpoint ends the kernel).
using System.Threading;
using System.Threading.Tasks;
using Kernel.Console;
using Kernel.Diagnostics;

namespace Kernel.Shell.Commands;

public static class FaultCommand
{
    public static readonly ShellCommand Command = new("fault", "<kind>", "raise a CPU fault and show its report", Run);

    private static Task Run(string arguments, CancellationToken cancellationToken)
    {
        if (!Faults.TryParse(arguments, out FaultKind kind))
        {
            KernelConsole.WriteLine("usage: fault <kind>; kinds: " + string.Join(", ", Faults.Names));
            return Task.CompletedTask;
        }

        KernelConsole.WriteLine("fault: triggering " + arguments + " (" + Faults.Describe(kind) + ")");
        Faults.Trigger(kind);
        return Task.CompletedTask;
    }
}
