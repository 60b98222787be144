// The cost of throwing and catching a C# exception across 1 and 10 frames:
// in the kernel (Kernel/Tests/ExceptionDispatchTests.cs,
// ThrowCatch_CostIsMeasured, TSC cycles per throw+catch, one boot per
// repetition) beside the same C# run by .NET 10 on this host in the same
// process: both run Kernel/Tests/ThrowCatchPairs.cs, which Bench.csproj compiles in. The kernel runs under QEMU's TCG, whose TSC follows the host's
// clock, so both are also given as time; the host's cycles are its time at
// the clock rate /proc/cpuinfo reports.
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Boot.Tests.Harness;
using Kernel.Tests;

namespace Bench;

public sealed class ThrowCatchBenchmarks : IBenchmark
{
    private const string Test = "ExceptionDispatchTests.ThrowCatch_CostIsMeasured";

    public string Name => "throw-catch";

    public IEnumerable<BenchmarkResult> Run(BenchmarkContext context)
    {
        var one = new List<double>();
        var ten = new List<double>();
        var hz = new List<double>();
        for (int i = 0; i < context.Repetitions; i++)
        {
            KernelTestRunResult result = KernelTestRun.RunAsync("bench-throw-catch-" + i, "ktest.test=" + Test, TimeSpan.FromSeconds(240), new[] { Test })
                .GetAwaiter().GetResult();
            if (result.Outcomes[Test].Status != KernelTestStatus.Passed)
                throw new InvalidOperationException($"{Test} did not pass: {result.Outcomes[Test].Message}\n{result.Tail()}");
            one.Add(Figure(result.Serial, "throw-catch-1-frame-cycles"));
            ten.Add(Figure(result.Serial, "throw-catch-10-frames-cycles"));
            hz.Add(Figure(result.Serial, "tsc-hz"));
        }

        double hostMhz = HostMegahertz();
        (double hostOne, double hostTen) = HostThrowCatch.Measure();
        double kernelHz = BenchmarkContext.Median(hz);
        foreach ((string frames, double kernelCycles, double hostNs) in new[] { ("1 frame", BenchmarkContext.Median(one), hostOne), ("10 frames", BenchmarkContext.Median(ten), hostTen) })
        {
            double kernelUs = kernelCycles / kernelHz * 1e6;
            yield return new BenchmarkResult(
                $"throw+catch across {frames}, kernel ({QemuRun.Accelerator}, median of {context.Repetitions} boots)",
                $"{kernelCycles:F0} cycles ({kernelUs:F1} us)",
                ".NET 10 on the host, same C#",
                $"{hostNs * hostMhz / 1000:F0} cycles at {hostMhz:F0} MHz ({hostNs / 1000:F1} us)",
                $"{kernelUs * 1000 / hostNs:F2}x the time");
        }
    }

    private static double Figure(string serial, string name)
    {
        Match match = Regex.Match(serial, @"^\[bench\] " + name + @" (\d+)", RegexOptions.Multiline);
        if (!match.Success)
            throw new InvalidOperationException($"the kernel printed no '[bench] {name}' line");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static double HostMegahertz()
    {
        foreach (string line in File.ReadLines("/proc/cpuinfo"))
        {
            if (line.StartsWith("cpu MHz", StringComparison.Ordinal))
                return double.Parse(line[(line.IndexOf(':') + 1)..].Trim(), CultureInfo.InvariantCulture);
        }

        return 1000;
    }

    /// <summary>The kernel test's loops (Kernel/Tests/ThrowCatchPairs.cs, compiled in here), run by .NET 10. Nanoseconds per throw+catch.</summary>
    private static class HostThrowCatch
    {
        private const int Rounds = 20_000;

        public static (double One, double Ten) Measure()
        {
            ThrowCatchPairs.OneFrameLoop(2_000);
            ThrowCatchPairs.TenFramesLoop(2_000);

            var watch = Stopwatch.StartNew();
            int caught = ThrowCatchPairs.OneFrameLoop(Rounds);
            double one = watch.Elapsed.TotalNanoseconds / Rounds;
            watch.Restart();
            caught += ThrowCatchPairs.TenFramesLoop(Rounds);
            double ten = watch.Elapsed.TotalNanoseconds / Rounds;
            if (caught != 2 * Rounds)
                throw new InvalidOperationException($"{caught} of {2 * Rounds} throws were caught");
            return (one, ten);
        }
    }
}
