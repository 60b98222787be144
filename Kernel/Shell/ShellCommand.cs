// One shell command: its name, a usage hint, a one-line summary (what
// `help` prints) and the async method that runs it with the text after the
// name and a CancellationToken that Ctrl-C cancels (a command that waits
// passes it on, e.g. to Task.Delay). Commands are listed in CommandTable; each lives in its own file
// under Commands/ so that adding one touches the table and one new file.
using System;
using System.Threading;
using System.Threading.Tasks;

namespace Kernel.Shell;

public sealed class ShellCommand
{
    public ShellCommand(string name, string usage, string summary, Func<string, CancellationToken, Task> run)
    {
        Name = name;
        Usage = usage;
        Summary = summary;
        Run = run;
    }

    public string Name { get; }

    /// <summary>The arguments it takes ("<ms>"), or "" for none.</summary>
    public string Usage { get; }

    public string Summary { get; }

    /// <summary>Runs the command with its argument text (trimmed; "" when there is none) and the Ctrl-C token.</summary>
    public Func<string, CancellationToken, Task> Run { get; }
}
