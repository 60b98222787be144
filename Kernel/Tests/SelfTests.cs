// Kernel tests that exercise the test framework itself; tests/Boot.Tests
// (TestFrameworkTests) boots each selftest-* suite and checks that the
// framework reports it correctly. They are never run as ordinary tests.
using Kernel.Testing;

namespace Kernel.Tests;

internal static class SelfTests
{
    private static int s_fortyOne = 41;

    [KernelTest(Suite = "selftest-failing")]
    public static void Failing_AssertsOnPurpose() => Assert.Equal(42, s_fortyOne);

    [KernelTest(Suite = "selftest-failing")]
    public static void Passing_AfterAFailure() => Assert.Equal(41, s_fortyOne);

    private static bool s_usingBlockRan;

    private sealed class SetsFlagWhenDisposed : System.IDisposable
    {
        public void Dispose() => s_usingBlockRan = true;
    }

    // A failed assert throws: the test's using block must still run (tests run in name order).
    [KernelTest(Suite = "selftest-failing")]
    public static void Failing_InsideAUsingBlock()
    {
        using var flag = new SetsFlagWhenDisposed();
        Assert.Equal(42, s_fortyOne);
    }

    [KernelTest(Suite = "selftest-failing")]
    public static void Failing_Throws_OnPurpose() => throw new System.InvalidOperationException("thrown on purpose");

    [KernelTest(Suite = "selftest-failing")]
    public static void Passing_UsingBlockOfTheFailedTestRan() => Assert.True(s_usingBlockRan);

    [KernelTest(Suite = "selftest-hang")]
    public static void Hang_Forever()
    {
        while (true)
            Arch.Cpu.Pause();
    }

    [KernelTest(Suite = "selftest-nopanic", ShouldPanic = true)]
    public static void ShouldPanic_ButReturns()
    {
    }

    [KernelTest(Suite = "selftest-panic")]
    public static void Panics_Unexpectedly() => Diagnostics.Panic.Fail("unexpected panic inside a test");
}
