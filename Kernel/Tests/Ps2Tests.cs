// The i8042 controller and the keyboard behind it, polled while the
// keyboard's interrupt handler is kept away (Ps2Controller.Exclusive).
using Kernel.Drivers;
using Kernel.Testing;

namespace Kernel.Tests;

internal static class Ps2Tests
{
    [KernelTest(Suite = "interrupts")]
    public static void Ps2Controller_IsReady_WithTranslationAndPort1InterruptOn()
    {
        Assert.True(Ps2Controller.IsReady, "status " + ((int)Ps2Controller.Status).ToString());
        Assert.True(Ps2Controller.TryReadConfig(out Ps2Config config));
        Assert.True(config.Translation, "set 2 is translated to set 1");
        Assert.True(config.Port1Interrupt);
        Assert.True(config.Port1ClockEnabled);
        Assert.False(config.Port2Interrupt, "the mouse port stays off");
    }

    [KernelTest(Suite = "interrupts")]
    public static void Ps2Keyboard_AnswersEcho()
    {
        using Arch.InterruptGuard exclusive = Ps2Controller.Exclusive();
        Assert.True(Ps2Controller.TrySendToKeyboard(0xEE, out byte reply));
        Assert.Equal(0xEEUL, reply);
        Assert.False(Ps2Controller.TryReadKeyboardByte(out _), "nothing else arrived");
    }

    [KernelTest(Suite = "interrupts")]
    public static void Ps2Keyboard_IdentifiesAsAnMf2Keyboard()
    {
        using Arch.InterruptGuard exclusive = Ps2Controller.Exclusive();
        Assert.True(Ps2Controller.TrySendToKeyboard(0xF2, out byte ack));
        Assert.Equal(0xFAUL, ack);
        Assert.True(Ps2Controller.TryReadByte(out byte first));
        Assert.True(Ps2Controller.TryReadByte(out byte second));
        Assert.Equal(0xABUL, first);
        Assert.True(second == 0x41 || second == 0x83, "MF2 keyboard id byte 2: 0x83, or 0x41 with translation");
    }
}
