// `help`: every command with its usage and one line about it.
using System.Threading;
using System.Threading.Tasks;
using Kernel.Console;

namespace Kernel.Shell.Commands;

public static class HelpCommand
{
    public static readonly ShellCommand Command = new("help", "", "list the commands", Run);

    private static Task Run(string arguments, CancellationToken cancellationToken)
    {
        foreach (ShellCommand command in CommandTable.All)
        {
            string left = command.Usage.Length == 0 ? command.Name : command.Name + " " + command.Usage;
            KernelConsole.WriteLine("  " + left.PadRight(18) + command.Summary);
        }

        return Task.CompletedTask;
    }
}
