// `echo <text>`: prints its argument text.
using System.Threading;
using System.Threading.Tasks;
using Kernel.Console;

namespace Kernel.Shell.Commands;

public static class EchoCommand
{
    public static readonly ShellCommand Command = new("echo", "<text>", "print the text", Run);

    private static Task Run(string arguments, CancellationToken cancellationToken)
    {
        KernelConsole.WriteLine(arguments);
        return Task.CompletedTask;
    }
}
