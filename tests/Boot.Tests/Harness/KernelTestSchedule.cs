// Decides which boots run which kernel tests and runs them all in parallel
// the first time any test asks: one boot per suite for ordinary tests, one
// boot per should-panic test (a panic ends the kernel). Boots are limited to
// the number of CPUs, since each TCG QEMU keeps a core busy.
namespace Boot.Tests.Harness;

public static class KernelTestSchedule
{
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
            boots[group.Key] = new Lazy<Task<KernelTestRunResult>>(() => Task.Run(() => RunAsync(name, arguments, s_bootTimeout, tests)));
        }

        return boots;
    }
}
