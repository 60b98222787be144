// The whole main kernel test suite (HeapTests included) under each allocator
// design other than the default: kernel.conf "allocator = bump | linked-list
// | tlsf". The default (fixed-size block over TLSF, also what
// "allocator = fixed-size-block" selects) runs every suite in the ordinary
// schedule (KernelTests), so three extra boots cover all four designs; the
// other suites do not depend on the design beyond what the main suite
// exercises, and booting all of them four times would not fit CI's budget.
using Boot.Tests.Harness;
using Xunit;

namespace Boot.Tests;

public sealed class HeapAllocatorTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(300);

    [Theory]
    [InlineData("bump")]
    [InlineData("linked-list")]
    [InlineData("tlsf")]
    public async Task MainSuite_PassesUnderEachAllocator(string allocator)
    {
        string[] tests = KernelTestCatalog.All.Where(t => t.Suite == "main" && !t.ShouldPanic).Select(t => t.Name).ToArray();
        KernelTestRunResult result = await KernelTestSchedule.RunAsync(
            "heap-" + allocator, "ktest.suite=main", s_timeout, tests,
            options => options with { Config = options.Config + $"allocator = {allocator}\n" });

        string failures = string.Join("\n", result.Outcomes.Values.Where(o => o.Status != KernelTestStatus.Passed).Select(o => $"{o.Name}: {o.Status}: {o.Message}"));
        Assert.True(failures.Length == 0 && result.ExitCode == KernelTestRun.ExitSuccess, failures + "\n--- " + result.SerialLogPath + " ---\n" + result.Tail());
        Assert.Contains($"kernel heap: ", result.Serial);
        Assert.Matches($@"kernel heap: \S*{allocator}, ", result.Serial);
        Assert.Contains("HeapTests.Heap_ManyBoxes_LongLived", string.Join(" ", result.Outcomes.Keys));
    }

    // heap.debug = on: the config-heap-debug suite checks poisoning and the reported request size, then its
    // last test overruns a block by one byte and frees it: the kernel must panic naming the canary. Under
    // gc.stress = 97, like every kernel test (GcStressTests): blocks the collector frees are poisoned too.
    [Fact]
    public async Task DebugMode_PoisonsFrees_AndReportsAnOverrunOnFree()
    {
        const string Poison = "HeapTests.HeapDebug_A_FreedMemoryIsPoisoned_AndUsableSizeIsTheRequest";
        const string Overrun = "HeapTests.HeapDebug_Z_OverrunIsReportedOnFree";
        KernelTestRunResult result = await KernelTestSchedule.RunAsync(
            "heap-debug", "ktest.suite=config-heap-debug", s_timeout, new[] { Poison, Overrun },
            options => options with { Config = options.Config + "heap.debug = on\ngc.stress = " + KernelTestSchedule.GcStress + "\n" });

        Assert.True(result.Outcomes[Poison].Status == KernelTestStatus.Passed, result.Outcomes[Poison].Message + "\n" + result.Tail());
        Assert.Contains("debug on", result.Serial);
        Assert.Contains(KernelTestSchedule.StressBanner(KernelTestSchedule.GcStress), result.Serial);
        Assert.Matches(@"the canary after block 0x[0-9A-F]+ \(24 bytes\) was overwritten; caller \S*HeapDebug_Z_OverrunIsReportedOnFree", result.Serial);
    }

    // heap.max = 8M: keeping 1 MiB arrays alive exhausts the heap; the panic names the request, the design, the
    // heap's size and maximum, its free bytes and its largest free block. Under gc.stress = 97 (GcStressTests).
    [Fact]
    public async Task OutOfMemory_PanicsWithSizeHeapSizeFreeAndLargestBlock()
    {
        const string Test = "HeapTests.HeapOom_ExhaustingTheMaximum_PanicsWithTheNumbers";
        KernelTestRunResult result = await KernelTestSchedule.RunAsync(
            "heap-oom", "ktest.suite=config-heap-oom", s_timeout, new[] { Test },
            options => options with { Config = options.Config + "heap.max = 8M\ngc.stress = " + KernelTestSchedule.GcStress + "\n" });

        Assert.Contains(KernelTestSchedule.StressBanner(KernelTestSchedule.GcStress), result.Serial);
        Assert.Matches(@"out of memory: 10486\d\d bytes asked for; the fixed-size-block heap has \d+ bytes \(maximum 8388608\), \d+ free, largest free block \d+ bytes", result.Serial);
    }
}
