// Every [KernelTest] in the kernel, one xunit case each. The boots behind
// them run in parallel (KernelTestSchedule); a failing case shows the
// kernel's message and the end of the serial log. The should-panic and
// console-scroll boots run under gc.stress, and their cases check it.
using Boot.Tests.Harness;
using Boot.Tests.Discovery;
using Xunit;

namespace Boot.Tests;

public sealed class KernelTests
{
    [KernelTestCases]
    public async Task Test(string name)
    {
        KernelTestInfo test = KernelTestCatalog.Find(name);
        KernelTestRunResult result = await KernelTestSchedule.ResultFor(test);
        KernelTestOutcome outcome = result.Outcomes[name];
        if (outcome.Status != KernelTestStatus.Passed)
        {
            Assert.Fail($"{name}: {outcome.Status}: {outcome.Message}{Environment.NewLine}"
                + $"--- boot '{result.Selection}', serial log {result.SerialLogPath}; last lines ---{Environment.NewLine}{result.Tail()}");
        }

        // Should-panic tests and console-scroll run under gc.stress in their own boots (KernelTestSchedule).
        if (KernelTestSchedule.IsStressedHere(test))
        {
            Assert.True(result.Serial.Contains(KernelTestSchedule.StressBanner(KernelTestSchedule.GcStress)),
                $"{name}: the kernel did not report gc.stress = {KernelTestSchedule.GcStress}; serial log {result.SerialLogPath}");
        }
    }
}
