// `shutdown`: powers the machine off (Power/Shutdown.cs: ACPI S5).
using System.Threading;
using System.Threading.Tasks;
using Kernel.Power;

namespace Kernel.Shell.Commands;

public static class ShutdownCommand
{
    public static readonly ShellCommand Command = new("shutdown", "", "power off (ACPI S5)", Run);

    private static Task Run(string arguments, CancellationToken cancellationToken)
    {
        Shutdown.Now();
        return Task.CompletedTask;
    }
}
