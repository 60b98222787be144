// One run of a build target as a user starts it (`./build.sh --target=Run --headless ...`), for
// tests of the run command itself. Cake runs with --exclusive (the images are already built)
// and the script cache, in a session of its own (setsid) so the test can send the Ctrl-C a
// terminal would send to the whole foreground group, and kill everything it started.
// Everything it prints - Cake's lines and, through -serial stdio, the kernel's console - is
// collected and kept in artifacts/test-runs/<name>/output.log.
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Boot.Tests.Harness;

public sealed class CakeRun : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _logPath;

    private CakeRun(string name, Process process, string logPath)
    {
        Name = name;
        _process = process;
        _logPath = logPath;
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything printed so far, without terminal escape sequences.</summary>
    public string Output
    {
        get
        {
            lock (_output)
                return QemuRun.StripEscapes(_output.ToString());
        }
    }

    /// <summary>Starts `dotnet cake build.cake --target=<paramref name="target"/> ...` in the repository.</summary>
    public static CakeRun Start(string name, string target, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        string directory = Path.Combine(Repository.RunsDirectory, name);
        if (Directory.Exists(directory))
            Directory.Delete(directory, recursive: true);
        Directory.CreateDirectory(directory);

        var start = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true, // a pipe that stays open: QEMU's serial input, like a quiet terminal
        };
        foreach (string argument in new[] { "dotnet", "cake", "build.cake", "--target=" + target, "--exclusive", "--settings_enablescriptcache=true" }.Concat(arguments))
            start.ArgumentList.Add(argument);
        foreach (var variable in environment ?? new Dictionary<string, string>())
            start.Environment[variable.Key] = variable.Value;

        Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start dotnet cake");
        var run = new CakeRun(name, process, Path.Combine(directory, "output.log"));
        // Read as it comes, not by lines: what a user types is echoed without a newline.
        run._pumps = new[] { run.PumpAsync(process.StandardOutput), run.PumpAsync(process.StandardError) };
        return run;
    }

    private Task[] _pumps = Array.Empty<Task>();

    private Task PumpAsync(StreamReader reader) => Task.Run(async () =>
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer, 0, buffer.Length)) > 0)
        {
            string text = new(buffer, 0, read);
            lock (_output)
            {
                _output.Append(text);
                File.AppendAllText(_logPath, text);
            }
        }
    });

    /// <summary>Waits until the output matches <paramref name="pattern"/>; returns the match.</summary>
    public async Task<Match> WaitForAsync(string pattern, TimeSpan timeout)
    {
        var regex = new Regex(pattern, RegexOptions.Multiline);
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            Match match = regex.Match(Output);
            if (match.Success)
                return match;
            if (_process.HasExited)
                throw new InvalidOperationException($"{Name}: exited with status {_process.ExitCode} before the output matched /{pattern}/\n{Tail()}");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{Name}: timed out after {timeout.TotalSeconds:0} s waiting for /{pattern}/\n{Tail()}");
            await Task.Delay(100);
        }
    }

    /// <summary>Sends SIGINT to the run's whole process group, as Ctrl-C in its terminal would.</summary>
    public void SendCtrlC() => Signal("INT");

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public string Tail(int lines = 30)
    {
        string[] all = Output.Replace("\r", "").Split('\n');
        return string.Join("\n", all.Skip(Math.Max(0, all.Length - lines)));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Signal("KILL");
            await WaitForExitAsync(TimeSpan.FromSeconds(10));
        }

        await Task.WhenAny(Task.WhenAll(_pumps), Task.Delay(5000));
        _process.Dispose();
    }

    // setsid made the process the leader of a new group whose id is its pid.
    private void Signal(string signal)
    {
        using Process kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, "--", "-" + _process.Id }, UseShellExecute = false })!;
        kill.WaitForExit();
    }
}
