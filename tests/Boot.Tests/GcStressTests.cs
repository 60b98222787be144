// The kernel tests again, with the garbage collector under stress
// (kernel.conf "gc.stress = N": a collection at every N-th allocation), so
// that a reference the collector misses - on the stack, in a register, in a
// static, in an early or frozen object - shows up as a failing test instead
// of a rare crash. Every kernel test runs under gc.stress = 97 somewhere:
//   - here, one boot: every test of every ordinary suite (main, bootinfo,
//     memory, interrupts, async, exceptions, gc-boxes, and any suite added
//     later) but gc and console-scroll, the timing tests included (they
//     measure in windows a collection cannot disturb unseen, see ApicTests,
//     InterruptDeliveryTests, AsyncTests);
//   - here, one boot: the suite gc. Its million-node list grows the heap to
//     40 MiB of 32-byte slabs, which main's heap tests (they ask for the
//     heap's free bytes again in 64 KiB blocks) cannot reuse on a 256 MiB
//     machine. Its bulk tests build part of their structures under stress and
//     the rest with stress suspended, and scale their churn; each such
//     workload prints a "[gc-stress] scaled" line, which this test requires
//     and shows;
//   - in KernelTestSchedule's own boots: each should-panic test and the
//     console-scroll suite (KernelTests checks they ran under stress);
//     HeapAllocatorTests' heap.debug and heap.max boots likewise.
// And with gc.stress = 1 (a collection at every allocation), one boot here:
// the runtime tests, the heap tests (main's, not the should-panic one) and
// the collector tests that do not build large structures. docs/gc.md has
// the boot times.
using Boot.Tests.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Boot.Tests;

public sealed class GcStressTests
{
    private static readonly string[] s_everyAllocationPrefixes =
    {
        "RuntimeTests.", "GcTests.Local_", "GcTests.Statics_", "GcTests.Cycles_", "GcTests.FrozenArray_",
        "GcTests.GcApi_", "GcTests.GcDesc_", "GcTests.CollectionWithInterruptsOff_", "GcTests.ArraysOfStructs", "HeapTests.Heap_",
    };

    private readonly ITestOutputHelper _output;

    public GcStressTests(ITestOutputHelper output) => _output = output;

    // Every ordinary test (not should-panic, not a self-test or config-* suite) but those of gc (the next boot) and
    // of the suites KernelTestSchedule stresses in their own boots.
    private static KernelTestInfo[] OrdinarySuitesTests() => KernelTestCatalog.All
        .Where(t => !t.IsSelfTest && !t.ShouldPanic && t.Suite != "gc" && !KernelTestSchedule.IsStressedHere(t))
        .ToArray();

    [Fact]
    public async Task KernelSuites_PassWithACollectionAtEvery97thAllocation()
    {
        KernelTestInfo[] tests = OrdinarySuitesTests();
        string[] suites = tests.Select(t => t.Suite).Distinct().OrderBy(s => s, StringComparer.Ordinal).ToArray();
        Assert.Contains("main", suites);
        Assert.Contains("interrupts", suites);
        await AssertAllPass("gc-stress-97", 97, "ktest.suite=" + string.Join(",", suites), tests.Select(t => t.Name).ToArray());
    }

    [Fact]
    public async Task CollectorSuite_PassesWithACollectionAtEvery97thAllocation()
    {
        string[] tests = KernelTestCatalog.All.Where(t => !t.ShouldPanic && t.Suite == "gc").Select(t => t.Name).ToArray();
        KernelTestRunResult result = await AssertAllPass("gc-stress-97-gc", 97, "ktest.suite=gc", tests);
        AssertScaled(result, "LinkedList_MillionNodes nodes made under stress", "LinkedList_MillionNodes churn per round",
            "DeepTree spine nodes made under stress", "DeepTree churn per round");
    }

    [Fact]
    public async Task RuntimeAndCollectorTests_PassWithACollectionAtEveryAllocation()
    {
        string[] tests = KernelTestCatalog.All
            .Where(t => !t.ShouldPanic && (t.Suite == "main" || t.Suite == "gc") && s_everyAllocationPrefixes.Any(p => t.Name.StartsWith(p, StringComparison.Ordinal)))
            .Select(t => t.Name).ToArray();
        Assert.True(tests.Length > 20, tests.Length + " tests selected");
        KernelTestRunResult result = await AssertAllPass("gc-stress-1", 1, "ktest.suite=main,gc ktest.only=" + string.Join(",", s_everyAllocationPrefixes), tests);
        AssertScaled(result, "ArraysOfStructs churn", "Statics churn", "FrozenArray churn", "Local churn");
    }

    // Every workload scaled under stress says so on serial ("[gc-stress] scaled <what> from N to M"); the test's
    // output shows those lines and what the scaled tests' collections cost, so a reader sees exactly what ran.
    private void AssertScaled(KernelTestRunResult result, params string[] expected)
    {
        string[] lines = result.Serial.Split('\n').Where(l => l.StartsWith("[gc-stress] ", StringComparison.Ordinal)).Select(l => l.TrimEnd('\r')).ToArray();
        foreach (string line in lines)
            _output.WriteLine(line);
        foreach (string what in expected)
            Assert.True(lines.Any(l => l.StartsWith("[gc-stress] scaled " + what + " from ", StringComparison.Ordinal)), "no \"[gc-stress] scaled " + what + "\" line");
    }

    private async Task<KernelTestRunResult> AssertAllPass(string name, int interval, string arguments, string[] tests)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        KernelTestRunResult result = await KernelTestSchedule.RunAsync(name, arguments, TimeSpan.FromSeconds(600), tests,
            options => options with { Config = "gc.stress = " + interval + "\n" + options.Config });
        _output.WriteLine($"{name}: {tests.Length} tests, boot took {watch.Elapsed.TotalSeconds:F0} s (including the wait for a boot slot)");
        Assert.True(result.Serial.Contains(KernelTestSchedule.StressBanner(interval)), "the kernel did not report gc.stress = " + interval + "\n" + result.Tail());
        var failures = result.Outcomes.Values.Where(o => o.Status != KernelTestStatus.Passed).ToList();
        Assert.True(failures.Count == 0 && result.RunError == null,
            $"{failures.Count} of {tests.Length} tests failed under gc.stress = {interval} ({result.RunError}):{Environment.NewLine}"
            + string.Join(Environment.NewLine, failures.Select(f => $"{f.Name}: {f.Status}: {f.Message}"))
            + $"{Environment.NewLine}--- serial log {result.SerialLogPath} ---{Environment.NewLine}{result.Tail()}");
        Assert.Equal(tests.Length, result.Outcomes.Count);
        return result;
    }
}
