// A virtual X server (Xvfb) for tests that open real windows: a free display
// number, started and waited for, killed on dispose. `xwd -root` takes a
// screenshot of the whole screen.
using System.Diagnostics;

namespace Boot.Tests.Harness;

public sealed class XvfbServer : IDisposable
{
    private readonly Process _process;

    private XvfbServer(int number, Process process)
    {
        Number = number;
        _process = process;
    }

    public int Number { get; }

    /// <summary>The value for DISPLAY.</summary>
    public string Display => ":" + Number;

    public static XvfbServer Start(int width, int height)
    {
        for (int number = 90; number < 140; number++)
        {
            if (File.Exists($"/tmp/.X{number}-lock") || File.Exists($"/tmp/.X11-unix/X{number}"))
                continue;
            var start = new ProcessStartInfo("Xvfb") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (string argument in new[] { ":" + number, "-screen", "0", $"{width}x{height}x24", "-nolisten", "tcp" })
                start.ArgumentList.Add(argument);
            Process process;
            try
            {
                process = Process.Start(start)!;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                throw new InvalidOperationException("Xvfb is not installed: apt-get install xvfb (./build.sh --target=Test installs it when run as root)");
            }

            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (!process.HasExited && DateTime.UtcNow < deadline && !File.Exists($"/tmp/.X11-unix/X{number}"))
                Thread.Sleep(50);
            if (!process.HasExited && File.Exists($"/tmp/.X11-unix/X{number}"))
                return new XvfbServer(number, process);
            process.Dispose(); // lost a race for this number: try the next
        }

        throw new InvalidOperationException("no free X display number for Xvfb in :90-:139");
    }

    /// <summary>Runs a program against this display (xwd, xdotool) and returns its output; fails on a non-zero exit.</summary>
    public string Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["DISPLAY"] = Display;
        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(" ", arguments)} failed ({process.ExitCode}): {error.Result}");
        return output;
    }

    /// <summary>A screenshot of the whole screen (xwd -root), saved to <paramref name="path"/> and loaded.</summary>
    public PpmImage Screenshot(string path)
    {
        Run("xwd", "-root", "-silent", "-out", path);
        return XwdImage.Load(path);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }
}
