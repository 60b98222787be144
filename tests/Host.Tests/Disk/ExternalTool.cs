// Runs the independent tools the disk-image tests judge the writer by (sgdisk,
// fsck.fat, mtools). A missing tool fails the test with the package to install:
// a check that quietly did not run would prove nothing.
using System.Diagnostics;

namespace Host.Tests.Disk;

public sealed record ToolResult(int ExitCode, string Output)
{
    public override string ToString() => $"exit code {ExitCode}:\n{Output}";
}

public static class ExternalTool
{
    private static readonly Dictionary<string, string> s_packages = new()
    {
        ["sgdisk"] = "gdisk",
        ["fsck.fat"] = "dosfstools",
        ["mdir"] = "mtools",
        ["mcopy"] = "mtools",
    };

    public static ToolResult Run(string tool, params string[] arguments)
    {
        string path = Find(tool);
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["LC_ALL"] = "C";
        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return new ToolResult(process.ExitCode, output + error.Result);
    }

    private static string Find(string tool)
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(new[] { "/usr/sbin", "/sbin" }))
        {
            string candidate = Path.Combine(directory, tool);
            if (File.Exists(candidate))
                return candidate;
        }

        throw new InvalidOperationException($"'{tool}' is needed to check disk images: apt-get install {s_packages[tool]} (./build.sh installs it when run as root)");
    }
}
