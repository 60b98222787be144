// The kernel tests again, with the garbage collector under stress
// (kernel.conf "gc.stress = N": a collection at every N-th allocation), so
// that a reference the collector misses - on the stack, in a register, in a
// static, in an early or frozen object - shows up as a failing test instead
// of a rare crash. Two boots:
//   - gc.stress = 97: the suites main, gc and bootinfo (the interrupts suite
//     measures timing and console-scroll needs its own screen, so they are
//     left out), less the collector tests that build 10^5-10^6 live objects
//     (s_quadraticUnderStress, skipped with ktest.skip);
//   - gc.stress = 1 (a collection at every allocation): the runtime tests and
//     the collector tests that do not build million-object structures.
using Boot.Tests.Harness;
using Xunit;

namespace Boot.Tests;

public sealed class GcStressTests
{
    private static readonly string[] s_stressSuites = { "main", "gc", "bootinfo" };

    // Collector tests that build structures of 10^5 to 10^6 live objects: a collection every 97 allocations makes
    // them quadratic (thousands of full marks of the growing structure), hours under TCG. They run without
    // stress in the gc suite; the stress boots cover every other test of the suites.
    private static readonly string[] s_quadraticUnderStress =
    {
        "GcTests.LinkedList_", "GcTests.DeepTree_", "GcTests.ManyBoxes_", "GcTests.Churn_", "GcTests.Bench_",
    };

    private static readonly string[] s_everyAllocationPrefixes =
    {
        "RuntimeTests.", "GcTests.Local_", "GcTests.Statics_", "GcTests.Cycles_", "GcTests.FrozenArray_",
        "GcTests.GcApi_", "GcTests.GcDesc_", "GcTests.CollectionWithInterruptsOff_", "GcTests.ArraysOfStructs",
    };

    [Fact]
    public async Task KernelSuites_PassWithACollectionAtEvery97thAllocation()
    {
        string[] tests = KernelTestCatalog.All
            .Where(t => !t.ShouldPanic && s_stressSuites.Contains(t.Suite) && !s_quadraticUnderStress.Any(p => t.Name.StartsWith(p, StringComparison.Ordinal)))
            .Select(t => t.Name).ToArray();
        await AssertAllPass("gc-stress-97", 97, "ktest.suite=" + string.Join(",", s_stressSuites) + " ktest.skip=" + string.Join(",", s_quadraticUnderStress), tests);
    }

    [Fact]
    public async Task RuntimeAndCollectorTests_PassWithACollectionAtEveryAllocation()
    {
        string[] tests = KernelTestCatalog.All
            .Where(t => !t.ShouldPanic && (t.Suite == "main" || t.Suite == "gc") && s_everyAllocationPrefixes.Any(p => t.Name.StartsWith(p, StringComparison.Ordinal)))
            .Select(t => t.Name).ToArray();
        Assert.True(tests.Length > 20, tests.Length + " tests selected");
        await AssertAllPass("gc-stress-1", 1, "ktest.suite=main,gc ktest.only=" + string.Join(",", s_everyAllocationPrefixes), tests);
    }

    private static async Task AssertAllPass(string name, int interval, string arguments, string[] tests)
    {
        KernelTestRunResult result = await KernelTestSchedule.RunAsync(name, arguments, TimeSpan.FromSeconds(600), tests,
            options => options with { Config = "gc.stress = " + interval + "\n" + options.Config });
        Assert.True(result.Serial.Contains("stress every " + interval + " allocations"), "the kernel did not report gc.stress = " + interval + "\n" + result.Tail());
        var failures = result.Outcomes.Values.Where(o => o.Status != KernelTestStatus.Passed).ToList();
        Assert.True(failures.Count == 0 && result.RunError == null,
            $"{failures.Count} of {tests.Length} tests failed under gc.stress = {interval} ({result.RunError}):{Environment.NewLine}"
            + string.Join(Environment.NewLine, failures.Select(f => $"{f.Name}: {f.Status}: {f.Message}"))
            + $"{Environment.NewLine}--- serial log {result.SerialLogPath} ---{Environment.NewLine}{result.Tail()}");
        Assert.Equal(tests.Length, result.Outcomes.Count);
    }
}
