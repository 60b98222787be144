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
