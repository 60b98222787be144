// `clear`: clears the screen (and a serial terminal, through the same escape).
using System.Threading;
using System.Threading.Tasks;
using Kernel.Console;

namespace Kernel.Shell.Commands;

public static class ClearCommand
{
    public static readonly ShellCommand Command = new("clear", "", "clear the screen", Run);

    private static Task Run(string arguments, CancellationToken cancellationToken)
    {
        KernelConsole.Clear();
        return Task.CompletedTask;
    }
}
