// Decides which boots run which kernel tests and runs them all in parallel
// the first time any test asks: one boot per suite for ordinary tests, one
// boot per should-panic test (a panic ends the kernel). Boots are limited to
// the number of CPUs, since each TCG QEMU keeps a core busy. The boots
// that GcStressTests does not boot again under gc.stress (each should-panic
// test, the console-scroll suite) run with kernel.conf "gc.stress = 97"
// themselves, so every kernel test runs under stress without extra boots.
namespace Boot.Tests.Harness;

public static class KernelTestSchedule
{
    /// <summary>The stress interval of the boots that run under gc.stress in this schedule (see IsStressedHere).</summary>
    public const int GcStress = 97;

    /// <summary>Suites that GcStressTests leaves to this schedule to stress: console-scroll needs a screen and a boot of its own.</summary>
    public static readonly IReadOnlyList<string> StressedSuites = new[] { "console-scroll" };

    private static readonly TimeSpan s_bootTimeout = TimeSpan.FromSeconds(180);
    private static readonly SemaphoreSlim s_slots = new(Math.Max(2, Environment.ProcessorCount), Math.Max(2, Environment.ProcessorCount));
    private static readonly Lazy<IReadOnlyDictionary<string, Lazy<Task<KernelTestRunResult>>>> s_boots = new(Plan);

    /// <summary>The result of the boot that runs <paramref name="test"/>; starts every boot on first use.</summary>
    public static Task<KernelTestRunResult> ResultFor(KernelTestInfo test)
    {
        IReadOnlyDictionary<string, Lazy<Task<KernelTestRunResult>>> boots = s_boots.Value;
        foreach (Lazy<Task<KernelTestRunResult>> boot in boots.Values)
            _ = boot.Value;
        return boots[BootKey(test)].Value;
    }

    /// <summary>Runs kernel tests outside the schedule (the framework's self-tests), still within the CPU limit.</summary>
    public static Task<KernelTestRunResult> RunAsync(string name, string arguments, TimeSpan timeout, IEnumerable<string> tests, Func<BootOptions, BootOptions>? configure = null)
        => WithBootSlotAsync(() => KernelTestRun.RunAsync(name, arguments, timeout, tests, configure));

    /// <summary>Runs <paramref name="boot"/> (one QEMU) once a slot is free, so all boot tests share the CPU limit.</summary>
    public static async Task<T> WithBootSlotAsync<T>(Func<Task<T>> boot)
    {
        await s_slots.WaitAsync();
        try
        {
            return await boot();
        }
        finally
        {
            s_slots.Release();
        }
    }

    /// <summary>
    /// True when the schedule's own boot of <paramref name="test"/> runs with gc.stress = GcStress: a should-panic test
    /// (its panic ends the kernel, so it cannot share a stress boot with others) or a suite in StressedSuites.
    /// </summary>
    public static bool IsStressedHere(KernelTestInfo test) => test.ShouldPanic || StressedSuites.Contains(test.Suite);

    /// <summary>The line the kernel prints at start-up when it runs with gc.stress = <paramref name="interval"/>.</summary>
    public static string StressBanner(int interval) => "stress every " + interval + " allocations";

    private static string BootKey(KernelTestInfo test) => test.ShouldPanic ? "test=" + test.Name : "suite=" + test.Suite;

    private static IReadOnlyDictionary<string, Lazy<Task<KernelTestRunResult>>> Plan()
    {
        var boots = new Dictionary<string, Lazy<Task<KernelTestRunResult>>>();
        foreach (IGrouping<string, KernelTestInfo> group in KernelTestCatalog.All.Where(t => !t.IsSelfTest).GroupBy(BootKey))
        {
            KernelTestInfo first = group.First();
            string arguments = first.ShouldPanic ? "ktest.test=" + first.Name : "ktest.suite=" + first.Suite;
            string name = first.ShouldPanic ? "ktest-" + first.Name : "ktest-suite-" + first.Suite;
            string[] tests = group.Select(t => t.Name).ToArray();
            Func<BootOptions, BootOptions>? configure = IsStressedHere(first)
                ? options => options with { Config = "gc.stress = " + GcStress + "\n" + options.Config }
                : null;
            boots[group.Key] = new Lazy<Task<KernelTestRunResult>>(() => Task.Run(() => RunAsync(name, arguments, s_bootTimeout, tests, configure)));
        }

        return boots;
    }
}
