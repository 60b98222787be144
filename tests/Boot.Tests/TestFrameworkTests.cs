// The kernel test framework tested end to end: a failing kernel test is
// reported as failed with its message, a hanging image as timed out, and a
// should-panic test that returns as failed. The selftest-* kernel tests these
// boot live in Kernel/Tests/SelfTests.cs.
using Boot.Tests.Harness;
using Xunit;

namespace Boot.Tests;

public sealed class TestFrameworkTests
{
    [Fact]
    public async Task FailingKernelTest_IsReportedFailed_WithItsMessageAndLocation_AndAThrowingOneWithItsException()
    {
        KernelTestRunResult result = await KernelTestSchedule.RunAsync(
            "selftest-failing", "ktest.suite=selftest-failing", TimeSpan.FromSeconds(120), SelfTestsFailingSuite);

        Assert.Equal(KernelTestRun.ExitFailure, result.ExitCode);
        KernelTestOutcome failing = result.Outcomes["SelfTests.Failing_AssertsOnPurpose"];
        Assert.Equal(KernelTestStatus.Failed, failing.Status);
        Assert.Contains("expected 42, got 41", failing.Message);
        Assert.Contains("Kernel/Tests/SelfTests.cs:", failing.Message);

        // A failed assertion ends only its own test.
        Assert.Equal(KernelTestStatus.Passed, result.Outcomes["SelfTests.Passing_AfterAFailure"].Status);
        Assert.Contains("2 passed, 3 failed", result.Serial);

        // A test that throws fails with the exception and its trace; a failed assert throws, so the
        // test's using blocks run (the next test checks it).
        KernelTestOutcome throwing = result.Outcomes["SelfTests.Failing_Throws_OnPurpose"];
        Assert.Equal(KernelTestStatus.Failed, throwing.Status);
        Assert.Contains("threw System.InvalidOperationException: thrown on purpose", throwing.Message);
        Assert.Contains("at Kernel.Tests.SelfTests.Failing_Throws_OnPurpose+0x", throwing.Message);
        Assert.Equal(KernelTestStatus.Failed, result.Outcomes["SelfTests.Failing_InsideAUsingBlock"].Status);
        Assert.Equal(KernelTestStatus.Passed, result.Outcomes["SelfTests.Passing_UsingBlockOfTheFailedTestRan"].Status);
    }

    private static readonly string[] SelfTestsFailingSuite =
    {
        "SelfTests.Failing_AssertsOnPurpose", "SelfTests.Failing_InsideAUsingBlock", "SelfTests.Failing_Throws_OnPurpose",
        "SelfTests.Passing_AfterAFailure", "SelfTests.Passing_UsingBlockOfTheFailedTestRan",
    };


    [Fact]
    public async Task HangingImage_IsReportedAsTimedOut()
    {
        KernelTestRunResult result = await KernelTestSchedule.RunAsync(
            "selftest-hang", "ktest.suite=selftest-hang", TimeSpan.FromSeconds(30), new[] { "SelfTests.Hang_Forever" });

        Assert.Null(result.ExitCode);
        Assert.Equal("timed out after 30 s", result.RunError);
        KernelTestOutcome outcome = result.Outcomes["SelfTests.Hang_Forever"];
        Assert.Equal(KernelTestStatus.NotRun, outcome.Status);
        Assert.Contains("stopped while this test was running (timed out after 30 s)", outcome.Message);
    }

    [Fact]
    public async Task ShouldPanicTest_ThatReturns_Fails()
    {
        KernelTestRunResult result = await KernelTestSchedule.RunAsync(
            "selftest-nopanic", "ktest.test=SelfTests.ShouldPanic_ButReturns", TimeSpan.FromSeconds(120), new[] { "SelfTests.ShouldPanic_ButReturns" });

        Assert.Equal(KernelTestRun.ExitFailure, result.ExitCode);
        KernelTestOutcome outcome = result.Outcomes["SelfTests.ShouldPanic_ButReturns"];
        Assert.Equal(KernelTestStatus.Failed, outcome.Status);
        Assert.Contains("expected a panic, but the test returned normally", outcome.Message);
    }

    [Fact]
    public async Task PanicInsideAnOrdinaryTest_FailsIt_WithMessageAndLocation()
    {
        KernelTestRunResult result = await KernelTestSchedule.RunAsync(
            "selftest-panic", "ktest.suite=selftest-panic", TimeSpan.FromSeconds(120), new[] { "SelfTests.Panics_Unexpectedly" });

        Assert.Equal(KernelTestRun.ExitFailure, result.ExitCode);
        KernelTestOutcome outcome = result.Outcomes["SelfTests.Panics_Unexpectedly"];
        Assert.Equal(KernelTestStatus.Failed, outcome.Status);
        Assert.Contains("kernel panic: unexpected panic inside a test", outcome.Message);
        Assert.Contains("SelfTests.cs:", outcome.Message);
    }
}
