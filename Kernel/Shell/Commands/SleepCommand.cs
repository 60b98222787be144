// `sleep <ms>`: awaits Task.Delay, so the other tasks (the clock, input
// decoding) keep running; keys typed meanwhile are handled afterwards.
// Ctrl-C cancels the delay through the shell's token (the shell prints ^C).
using System.Threading;
using System.Threading.Tasks;
using Kernel.Console;

namespace Kernel.Shell.Commands;

public static class SleepCommand
{
    public const int MaxMilliseconds = 600_000;

    public static readonly ShellCommand Command = new("sleep", "<ms>", "wait without blocking the other tasks", RunAsync);

    private static async Task RunAsync(string arguments, CancellationToken cancellationToken)
    {
        if (!TryParseMilliseconds(arguments, out int milliseconds))
        {
            KernelConsole.WriteLine("usage: sleep <ms> (0 to " + MaxMilliseconds.ToString() + ")");
            return;
        }

        await Task.Delay(milliseconds, cancellationToken);
        KernelConsole.WriteLine("slept " + milliseconds.ToString() + " ms");
    }

    // Decimal digits only, at most MaxMilliseconds.
    private static bool TryParseMilliseconds(string text, out int milliseconds)
    {
        milliseconds = 0;
        if (text.Length == 0 || text.Length > 7)
            return false;
        foreach (char c in text)
        {
            if (c < '0' || c > '9')
                return false;
            milliseconds = milliseconds * 10 + (c - '0');
        }

        return milliseconds <= MaxMilliseconds;
    }
}
