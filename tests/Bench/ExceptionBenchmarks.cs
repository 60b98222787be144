// The cost of taking an interrupt: int n through the entry stub, the C#
// dispatcher and an empty handler, back with iretq - beside its floor, a
// call to a trivial machine-code function, both timed with the TSC by the
// kernel in the same boot (Kernel/Tests/ExceptionTests.cs,
// InterruptRoundTrip_CostIsMeasured). Under TCG the cycles are QEMU's
// virtual TSC: the ratio is the meaningful figure.
using System.Globalization;
using System.Text.RegularExpressions;
using Boot.Tests.Harness;

namespace Bench;

public sealed class ExceptionBenchmarks : IBenchmark
{
    private const string Test = "ExceptionTests.InterruptRoundTrip_CostIsMeasured";

    public string Name => "exceptions";

    public IEnumerable<BenchmarkResult> Run(BenchmarkContext context)
    {
        var interrupts = new List<double>();
        var calls = new List<double>();
        for (int i = 0; i < context.Repetitions; i++)
        {
            KernelTestRunResult result = KernelTestRun.RunAsync("bench-interrupts-" + i, "ktest.test=" + Test, TimeSpan.FromSeconds(180), new[] { Test })
                .GetAwaiter().GetResult();
            if (result.Outcomes[Test].Status != KernelTestStatus.Passed)
                throw new InvalidOperationException($"{Test} did not pass: {result.Outcomes[Test].Message}\n{result.Tail()}");
            interrupts.Add(Figure(result.Serial, "interrupt-round-trip-cycles"));
            calls.Add(Figure(result.Serial, "native-call-cycles"));
        }

        double interrupt = BenchmarkContext.Median(interrupts);
        double call = BenchmarkContext.Median(calls);
        yield return new BenchmarkResult(
            $"interrupt round trip: int n -> stub -> C# handler -> iretq ({QemuRun.Accelerator}, TSC cycles, median of {context.Repetitions})",
            $"{interrupt:F0} cycles",
            "call + ret of a trivial machine-code function",
            $"{call:F0} cycles",
            $"{interrupt / Math.Max(call, 1):F1}x");
    }

    private static double Figure(string serial, string name)
    {
        Match match = Regex.Match(serial, @"^\[bench\] " + name + @" (\d+)", RegexOptions.Multiline);
        if (!match.Success)
            throw new InvalidOperationException($"the kernel printed no '[bench] {name}' line");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
