// The async machinery's costs in the kernel, each beside a floor measured in
// the same run (the host figures are AsyncBenchmarks, group async):
// - keyboard IRQ to the awaiting task running, in TSC cycles
//   (Kernel/Tests/AsyncTests.cs, KeyStream_InterruptToTaskLatency_Measured),
//   beside the bare interrupt round trip (ExceptionTests), one boot each;
// - QEMU launch to the shell prompt `tessera> ` of the release image, beside
//   the trivial EFI app's line (BootBenchmarks' floor), alternating boots;
//   and the same from the firmware's handoff to the image, which leaves out
//   QEMU's start and the firmware (seconds of noise on a busy machine).
using System.Globalization;
using System.Text.RegularExpressions;
using Boot.Tests.Harness;

namespace Bench;

public sealed class AsyncKernelBenchmarks : IBenchmark
{
    private const string LatencyTest = "AsyncTests.KeyStream_InterruptToTaskLatency_Measured";
    private const string InterruptTest = "ExceptionTests.InterruptRoundTrip_CostIsMeasured";

    public string Name => "async-kernel";

    public IEnumerable<BenchmarkResult> Run(BenchmarkContext context)
    {
        var latencies = new List<double>();
        var interrupts = new List<double>();
        for (int i = 0; i < context.Repetitions; i++)
        {
            latencies.Add(KernelFigure("bench-irq-task-" + i, LatencyTest, "irq-to-task-cycles"));
            interrupts.Add(KernelFigure("bench-irq-trip-" + i, InterruptTest, "interrupt-round-trip-cycles"));
        }

        double latency = BenchmarkContext.Median(latencies);
        double interrupt = BenchmarkContext.Median(interrupts);
        yield return new BenchmarkResult(
            $"kernel: keyboard IRQ -> awaiting task running ({QemuRun.Accelerator}, TSC cycles, median of {context.Repetitions} boots x 31 keys)",
            $"{latency:F0} cycles",
            "interrupt round trip (int n -> C# handler -> iretq)",
            $"{interrupt:F0} cycles",
            $"{latency / Math.Max(interrupt, 1):F1}x");

        var shellTimes = new List<double>();
        var floorTimes = new List<double>();
        var shellFromHandoff = new List<double>();
        var floorFromHandoff = new List<double>();
        string floorEsp = Path.Combine(Repository.Artifacts, "floor", "esp");
        for (int i = 0; i < context.Repetitions; i++)
        {
            // Alternate, so drift on a busy machine hits both alike.
            (double floorTotal, double floorOwn) = BootBenchmarks.TimeToLineFromHandoff(floorEsp, "floor: ready", "bench-async-floor-" + i, 180);
            (double shellTotal, double shellOwn) = BootBenchmarks.TimeToLineFromHandoff(Repository.ReleaseEsp, "^tessera> ", "bench-shell-" + i, 180);
            floorTimes.Add(floorTotal);
            floorFromHandoff.Add(floorOwn);
            shellTimes.Add(shellTotal);
            shellFromHandoff.Add(shellOwn);
        }

        double shell = BenchmarkContext.Median(shellTimes);
        double floor = BenchmarkContext.Median(floorTimes);
        yield return new BenchmarkResult(
            $"boot: QEMU launch -> shell prompt `tessera> ` ({QemuRun.Accelerator}, median of {context.Repetitions})",
            $"{shell:F2} s",
            "QEMU launch -> floor app line",
            $"{floor:F2} s",
            $"{shell - floor:+0.00;-0.00} s ({shell / floor:F2}x)");
        double shellOwnTime = BenchmarkContext.Median(shellFromHandoff);
        double floorOwnTime = BenchmarkContext.Median(floorFromHandoff);
        yield return new BenchmarkResult(
            $"boot: firmware handoff (\"BdsDxe: starting\") -> shell prompt ({QemuRun.Accelerator}, median of {context.Repetitions}, +-50 ms)",
            $"{shellOwnTime:F2} s",
            "firmware handoff -> floor app line",
            $"{floorOwnTime:F2} s",
            $"{shellOwnTime - floorOwnTime:+0.00;-0.00} s");
    }

    private static double KernelFigure(string name, string test, string figure)
    {
        KernelTestRunResult result = KernelTestRun.RunAsync(name, "ktest.test=" + test, TimeSpan.FromSeconds(240), new[] { test })
            .GetAwaiter().GetResult();
        if (result.Outcomes[test].Status != KernelTestStatus.Passed)
            throw new InvalidOperationException($"{test} did not pass: {result.Outcomes[test].Message}\n{result.Tail()}");
        Match match = Regex.Match(result.Serial, @"^\[bench\] " + figure + @" (\d+)", RegexOptions.Multiline);
        if (!match.Success)
            throw new InvalidOperationException($"the kernel printed no '[bench] {figure}' line");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
