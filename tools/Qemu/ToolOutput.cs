// Runs a helper program the run command asks about the host (QEMU's `-display help`,
// xdpyinfo) and returns what it printed on stdout.
// Shared by build.cake (#load) and the tests, so it has no namespace and uses only the base class library.
using System;
using System.Diagnostics;

public static class ToolOutput
{
    /// <summary>
    /// Runs <paramref name="executable"/> with <paramref name="arguments"/> to its end: its exit code and stdout,
    /// or null when it cannot be started (not installed). Stderr is read and dropped, so a chatty tool never blocks.
    /// </summary>
    public static (int ExitCode, string Output)? Run(string executable, params string[] arguments)
    {
        var start = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        try
        {
            using Process process = Process.Start(start);
            var error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            _ = error.Result;
            return (process.ExitCode, output);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return null;
        }
    }
}
