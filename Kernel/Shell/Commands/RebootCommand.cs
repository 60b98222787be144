// `reboot`: resets the machine (Power/Reboot.cs: ACPI reset register, 8042
// pulse, triple fault).
using System.Threading;
using System.Threading.Tasks;
using Kernel.Power;

namespace Kernel.Shell.Commands;

public static class RebootCommand
{
    public static readonly ShellCommand Command = new("reboot", "", "reset the machine", Run);

    private static Task Run(string arguments, CancellationToken cancellationToken)
    {
        Reboot.Now();
        return Task.CompletedTask;
    }
}
