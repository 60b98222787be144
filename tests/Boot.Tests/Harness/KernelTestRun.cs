// Boots the test kernel to run a selection of kernel tests and parses the
// runner's "[ktest]" lines into one outcome per test.
using System.Text.RegularExpressions;

namespace Boot.Tests.Harness;

public enum KernelTestStatus
{
    Passed,
    Failed,

    /// <summary>The kernel stopped (panic, hang, crash) before the test ran or finished.</summary>
    NotRun,
}

public sealed record KernelTestOutcome(string Name, KernelTestStatus Status, string Message, string Duration);

public sealed class KernelTestRunResult
{
    public required string Selection { get; init; }

    public required IReadOnlyDictionary<string, KernelTestOutcome> Outcomes { get; init; }

    /// <summary>QEMU's exit status (33 = all passed, 35 = failures), or null when the run timed out.</summary>
    public int? ExitCode { get; init; }

    /// <summary>Why the run as a whole failed (timeout, crash, malformed output), or null.</summary>
    public string? RunError { get; init; }

    public required string Serial { get; init; }

    public required string SerialLogPath { get; init; }

    public string Tail(int lines = 30)
    {
        string[] all = Serial.Replace("\r", "").Split('\n');
        return string.Join("\n", all.Skip(Math.Max(0, all.Length - lines)));
    }
}

public static partial class KernelTestRun
{
    public const int ExitSuccess = 33;
    public const int ExitFailure = 35;

    [GeneratedRegex(@"^\[ktest\] (?<event>start|pass|fail) (?<name>\S+)(?: (?<duration>\S+))?(?: (?<message>.*))?$", RegexOptions.Multiline)]
    private static partial Regex EventLine();

    /// <summary>
    /// Boots once with the given kernel arguments and collects the outcome of every test it reports;
    /// <paramref name="configure"/> may change the machine (type, CPUs, memory...).
    /// </summary>
    public static Task<KernelTestRunResult> RunAsync(string name, string kernelArguments, TimeSpan timeout, IEnumerable<string> expectedTests, Func<BootOptions, BootOptions>? configure = null)
    {
        var options = new BootOptions
        {
            Name = name,
            Esp = Repository.TestEsp,
            Config = "args = " + kernelArguments + "\n",
            Timeout = timeout,
        };
        options = configure?.Invoke(options) ?? options;

        return RunAsync(options, kernelArguments, expectedTests);
    }

    /// <summary>
    /// Boots the test kernel as <paramref name="options"/> say (machine, memory, display, firmware; its Config must
    /// carry the "args = ktest..." line) and collects the outcome of every test it reports.
    /// </summary>
    public static async Task<KernelTestRunResult> RunAsync(BootOptions options, string kernelArguments, IEnumerable<string> expectedTests)
    {
        TimeSpan timeout = options.Timeout;
        await using QemuRun run = QemuRun.Start(options);
        int? exitCode = null;
        string? runError = null;
        try
        {
            exitCode = await run.WaitForExitAsync();
            if (exitCode != ExitSuccess && exitCode != ExitFailure)
                runError = $"QEMU exited with status {exitCode} (expected {ExitSuccess} or {ExitFailure} from isa-debug-exit): the kernel crashed or reset";
        }
        catch (BootFailedException)
        {
            runError = $"timed out after {timeout.TotalSeconds:0} s";
        }

        string serial = run.Serial;
        var outcomes = new Dictionary<string, KernelTestOutcome>();
        string? running = null;
        foreach (Match match in EventLine().Matches(serial.Replace("\r", "")))
        {
            string test = match.Groups["name"].Value;
            switch (match.Groups["event"].Value)
            {
                case "start":
                    running = test;
                    break;
                case "pass":
                    outcomes[test] = new KernelTestOutcome(test, KernelTestStatus.Passed, "", match.Groups["duration"].Value);
                    running = null;
                    break;
                case "fail":
                    outcomes[test] = new KernelTestOutcome(test, KernelTestStatus.Failed, match.Groups["message"].Value, match.Groups["duration"].Value);
                    running = null;
                    break;
            }
        }

        foreach (string test in expectedTests)
        {
            if (outcomes.ContainsKey(test))
                continue;
            string why = running == test
                ? $"the kernel stopped while this test was running ({runError ?? "no result line"})"
                : $"the test did not run ({runError ?? "the kernel did not report it"})";
            outcomes[test] = new KernelTestOutcome(test, KernelTestStatus.NotRun, why, "");
        }

        return new KernelTestRunResult
        {
            Selection = kernelArguments,
            Outcomes = outcomes,
            ExitCode = exitCode,
            RunError = runError,
            Serial = serial,
            SerialLogPath = run.SerialLogPath,
        };
    }
}
