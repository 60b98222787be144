// `uptime`: seconds since the kernel's executor started, from the TSC.
using System.Threading;
using System.Threading.Tasks;
using Kernel.Console;
using Kernel.Tasks;

namespace Kernel.Shell.Commands;

public static class UptimeCommand
{
    public static readonly ShellCommand Command = new("uptime", "", "seconds since boot", Run);

    private static Task Run(string arguments, CancellationToken cancellationToken)
    {
        KernelConsole.WriteLine("up " + Uptime.Seconds() + " s");
        return Task.CompletedTask;
    }
}
