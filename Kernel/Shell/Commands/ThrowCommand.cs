// `throw <message>`: throws an InvalidOperationException from inside an
// async command, after an await, to show that a C# exception travels through
// the task's state machine to the shell, which prints it and carries on
// (docs/exceptions.md, part 2; docs/shell.md).
using System;
using System.Threading;
using System.Threading.Tasks;

namespace Kernel.Shell.Commands;

public static class ThrowCommand
{
    public static readonly ShellCommand Command = new("throw", "<message>", "throw a C# exception from a command (the shell catches it)", Run);

    private static async Task Run(string arguments, CancellationToken cancellationToken)
    {
        await Task.Yield();
        throw new InvalidOperationException(arguments.Length == 0 ? "thrown by the throw command" : arguments);
    }
}
