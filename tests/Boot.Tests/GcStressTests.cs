// The kernel tests again, with the garbage collector under stress
// (kernel.conf "gc.stress = N": a collection at every N-th allocation), so
// that a reference the collector misses - on the stack, in a register, in a
// static, in an early or frozen object - shows up as a failing test instead
// of a rare crash. Three boots:
//   - gc.stress = 97: every test of the suites main, bootinfo, interrupts,
//     async, exceptions and gc-boxes, less four timing-sensitive tests (see
//     s_timingUnderLoad);
//   - gc.stress = 97: the suite gc, in a boot of its own: its million-node
//     list grows the heap to 40 MiB of 32-byte slabs, which main's heap tests
//     (they ask for the heap's free bytes again in 64 KiB blocks) cannot
//     reuse on a 256 MiB machine. Its tests whose every stress collection
//     marks a large live set scale their own workload under stress and print
//     a "[gc-stress] scaled" line; the test shows those lines;
//   - gc.stress = 1 (a collection at every allocation): the runtime tests and
//     the collector tests that do not build large structures.
// Not under stress: console-scroll (it needs its own screen) and the
// should-panic boots (each ends in a panic by design). docs/gc.md has the
// boot times.
using Boot.Tests.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Boot.Tests;

public sealed class GcStressTests
{
    private static readonly string[] s_stressSuites = { "main", "bootinfo", "interrupts", "async", "exceptions", "gc-boxes" };

    // Timing measurements the plain boots run:
    // - ApicTests.LocalApic_PeriodicTimer_ counts APIC timer reloads against the TSC over 500 ms and wants 9-11: a
    //   pause of the QEMU process on a loaded host drops a reload, with or without stress (it failed that way in a
    //   stress boot at load average 20, with no allocation in its loop);
    // - AsyncTests.Delay_NeverEarly_ wants a Delay to be late by at most one 10 ms tick; under stress the
    //   continuation's allocations collect, and the pause adds to the lateness (measured: 10,078 us);
    // - AsyncTests.WhenAll_WaitsForEvery_WhenAny_ReturnsTheFirst wants a 5 ms delay to finish before a 40 ms one
    //   it started just before; stress collections between the two (right after the thousand-task test, at load
    //   average 25) took longer than the 35 ms between them once (the test ran 228 ms);
    // - InterruptDeliveryTests.Timer_TicksAtTheConfiguredRate_ByTheTsc times 50 ticks by the TSC and wants 97-103 Hz:
    //   it measured 63.9 Hz in a stress boot at load average 20 with nothing allocating in its wait loop (ticks
    //   coalesce while the host deschedules QEMU).
    private static readonly string[] s_timingUnderLoad =
    {
        "ApicTests.LocalApic_PeriodicTimer_", "AsyncTests.Delay_NeverEarly_", "AsyncTests.WhenAll_WaitsForEvery_",
        "InterruptDeliveryTests.Timer_TicksAtTheConfiguredRate_",
    };

    private static readonly string[] s_everyAllocationPrefixes =
    {
        "RuntimeTests.", "GcTests.Local_", "GcTests.Statics_", "GcTests.Cycles_", "GcTests.FrozenArray_",
        "GcTests.GcApi_", "GcTests.GcDesc_", "GcTests.CollectionWithInterruptsOff_", "GcTests.ArraysOfStructs",
    };

    private readonly ITestOutputHelper _output;

    public GcStressTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task KernelSuites_PassWithACollectionAtEvery97thAllocation()
    {
        string[] tests = KernelTestCatalog.All
            .Where(t => !t.ShouldPanic && s_stressSuites.Contains(t.Suite) && !s_timingUnderLoad.Any(p => t.Name.StartsWith(p, StringComparison.Ordinal)))
            .Select(t => t.Name).ToArray();
        await AssertAllPass("gc-stress-97", 97,
            "ktest.suite=" + string.Join(",", s_stressSuites) + " ktest.skip=" + string.Join(",", s_timingUnderLoad), tests);
    }

    [Fact]
    public async Task CollectorSuite_PassesWithACollectionAtEvery97thAllocation()
    {
        string[] tests = KernelTestCatalog.All.Where(t => !t.ShouldPanic && t.Suite == "gc").Select(t => t.Name).ToArray();
        KernelTestRunResult result = await AssertAllPass("gc-stress-97-gc", 97, "ktest.suite=gc", tests);
        Assert.True(ScaledLines(result) >= 2, "the million-node list and deep-tree tests did not both report their scaled churn");
    }

    [Fact]
    public async Task RuntimeAndCollectorTests_PassWithACollectionAtEveryAllocation()
    {
        string[] tests = KernelTestCatalog.All
            .Where(t => !t.ShouldPanic && (t.Suite == "main" || t.Suite == "gc") && s_everyAllocationPrefixes.Any(p => t.Name.StartsWith(p, StringComparison.Ordinal)))
            .Select(t => t.Name).ToArray();
        Assert.True(tests.Length > 20, tests.Length + " tests selected");
        KernelTestRunResult result = await AssertAllPass("gc-stress-1", 1, "ktest.suite=main,gc ktest.only=" + string.Join(",", s_everyAllocationPrefixes), tests);
        Assert.True(ScaledLines(result) >= 1, "the arrays-of-structs test did not report its scaled churn");
    }

    // Every workload scaled under stress says so on serial ("[gc-stress] scaled ..."); the test's output shows
    // those lines and what the scaled tests' collections cost, so a reader sees exactly what ran.
    private int ScaledLines(KernelTestRunResult result)
    {
        string[] lines = result.Serial.Split('\n').Where(l => l.StartsWith("[gc-stress] ", StringComparison.Ordinal)).Select(l => l.TrimEnd('\r')).ToArray();
        foreach (string line in lines)
            _output.WriteLine(line);
        return lines.Count(l => l.StartsWith("[gc-stress] scaled", StringComparison.Ordinal));
    }

    private async Task<KernelTestRunResult> AssertAllPass(string name, int interval, string arguments, string[] tests)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        KernelTestRunResult result = await KernelTestSchedule.RunAsync(name, arguments, TimeSpan.FromSeconds(600), tests,
            options => options with { Config = "gc.stress = " + interval + "\n" + options.Config });
        _output.WriteLine($"{name}: {tests.Length} tests, boot took {watch.Elapsed.TotalSeconds:F0} s (including the wait for a boot slot)");
        Assert.True(result.Serial.Contains("stress every " + interval + " allocations"), "the kernel did not report gc.stress = " + interval + "\n" + result.Tail());
        var failures = result.Outcomes.Values.Where(o => o.Status != KernelTestStatus.Passed).ToList();
        Assert.True(failures.Count == 0 && result.RunError == null,
            $"{failures.Count} of {tests.Length} tests failed under gc.stress = {interval} ({result.RunError}):{Environment.NewLine}"
            + string.Join(Environment.NewLine, failures.Select(f => $"{f.Name}: {f.Status}: {f.Message}"))
            + $"{Environment.NewLine}--- serial log {result.SerialLogPath} ---{Environment.NewLine}{result.Tail()}");
        Assert.Equal(tests.Length, result.Outcomes.Count);
        return result;
    }
}
