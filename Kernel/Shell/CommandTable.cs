// The shell's commands, in the order `help` lists them. To add a command,
// write Commands/XCommand.cs with a static Command field and add it here.
using Kernel.Shell.Commands;

namespace Kernel.Shell;

public static class CommandTable
{
    private static readonly ShellCommand[] s_commands =
    {
        HelpCommand.Command,
        EchoCommand.Command,
        ClearCommand.Command,
        UptimeCommand.Command,
        TicksCommand.Command,
        SleepCommand.Command,
        MemCommand.Command,
        HeapCommand.Command,
        GcCommand.Command,
        TasksCommand.Command,
        FaultCommand.Command,
        ThrowCommand.Command,
        RebootCommand.Command,
        ShutdownCommand.Command,
    };

    public static ShellCommand[] All => s_commands;

    public static ShellCommand Find(string name)
    {
        foreach (ShellCommand command in s_commands)
        {
            if (command.Name == name)
                return command;
        }

        return null;
    }
}
