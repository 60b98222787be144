// The shell: a kernel task that prints the prompt, edits a line from the key
// stream (keyboard and serial alike), and runs the command it names. The
// prompt, "tessera> ", is a contract: people and the boot tests wait for it.
// Commands run inside the shell's task, so a command that awaits (sleep)
// lets the other tasks run, and keys typed meanwhile wait in the input
// queue for the next prompt - all but Ctrl-C, which cancels the running
// command's CancellationToken (KeyStream.CancelOnCtrlC): the shell prints
// ^C and the prompt.
using System;
using System.Threading;
using System.Threading.Tasks;
using Kernel.Console;
using Kernel.Input;
using Shared.Console;
using Shared.Shell;

namespace Kernel.Shell;

public static class Shell
{
    public const string Prompt = "tessera> ";

    private static readonly LineEditor s_editor = new();
    private static readonly EchoText s_echo = new();

    /// <summary>Lines the shell has run (tests and diagnostics).</summary>
    public static ulong CommandsRun { get; private set; }

    public static async Task RunAsync()
    {
        KernelConsole.WriteLine("Type 'help' for the commands.");
        while (true)
        {
            KernelConsole.Write(Prompt);
            string line = await ReadLineAsync();
            if (line is null)
                continue; // Ctrl-C dropped the line
            await ExecuteAsync(line);
        }
    }

    /// <summary>Runs one command line: the first word names the command, the rest is its argument text.</summary>
    public static async Task ExecuteAsync(string line)
    {
        string trimmed = line.Trim();
        if (trimmed.Length == 0)
            return;
        int space = trimmed.IndexOf(' ');
        string name = space < 0 ? trimmed : trimmed.Substring(0, space);
        string arguments = space < 0 ? "" : trimmed.Substring(space + 1).Trim();
        ShellCommand command = CommandTable.Find(name);
        CommandsRun++;
        if (command is null)
        {
            KernelConsole.WriteLine("unknown command: " + name + " (try help)");
            return;
        }

        using var interrupt = new CancellationTokenSource();
        KeyStream.CancelOnCtrlC(interrupt);
        try
        {
            await command.Run(arguments, interrupt.Token);
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            KernelConsole.WriteLine("^C");
        }
        catch (Exception exception)
        {
            // A command's failure is the command's, not the shell's: report it and read the next line.
            KernelConsole.WriteLine(name + ": " + exception.ToString());
        }
        finally
        {
            KeyStream.CancelOnCtrlC(null);
        }
    }

    // One line from the key stream; null when Ctrl-C dropped it.
    private static async Task<string> ReadLineAsync()
    {
        s_editor.Reset();
        while (true)
        {
            KeyPress? next = await KeyStream.ReadAsync();
            if (next is not KeyPress key)
                continue;
            s_echo.Clear();
            LineEditResult result = s_editor.Feed(key, s_echo);
            if (s_echo.Length != 0)
                KernelConsole.Write(s_echo.AsSpan());
            if (result == LineEditResult.Submitted)
                return s_editor.Text;
            if (result == LineEditResult.Canceled)
                return null;
        }
    }
}
