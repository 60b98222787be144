// `ticks`: the APIC timer's tick count and rate.
using System.Threading;
using System.Threading.Tasks;
using Kernel.Console;
using Kernel.Time;

namespace Kernel.Shell.Commands;

public static class TicksCommand
{
    public static readonly ShellCommand Command = new("ticks", "", "timer interrupts since the tick started", Run);

    private static Task Run(string arguments, CancellationToken cancellationToken)
    {
        KernelConsole.WriteLine(SystemTimer.Ticks.ToString() + " ticks at " + SystemTimer.Hz.ToString() + " Hz");
        return Task.CompletedTask;
    }
}
