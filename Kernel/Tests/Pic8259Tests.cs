// The legacy 8259 PICs after start-up: remapped and fully masked, nothing
// in service.
using Kernel.Drivers;
using Kernel.Testing;

namespace Kernel.Tests;

internal static class Pic8259Tests
{
    [KernelTest(Suite = "interrupts")]
    public static void Pic8259_AfterStartup_AllSixteenLinesMasked() => Assert.Equal(0xFFFFUL, Pic8259.Masks);

    [KernelTest(Suite = "interrupts")]
    public static void Pic8259_NothingInService() => Assert.Equal(0UL, Pic8259.InService);

    [KernelTest(Suite = "interrupts")]
    public static void Pic8259_RemapAgain_KeepsEverythingMasked()
    {
        Pic8259.RemapAndMaskAll();
        Assert.Equal(0xFFFFUL, Pic8259.Masks);
        Assert.Equal(0UL, Pic8259.InService);
    }
}
