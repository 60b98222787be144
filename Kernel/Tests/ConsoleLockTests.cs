// The interrupt-safe spinlock, and the promise that a panic gets out even when
// it strikes while the console's lock is held (a fault inside a console
// write): the panic path takes the console over instead of deadlocking.
// ConsoleScreenTests boots the panic test again to read the screen.
using Kernel.Console;
using Kernel.Diagnostics;
using Kernel.Sync;
using Kernel.Testing;

namespace Kernel.Tests;

internal static class ConsoleLockTests
{
    public const string PanicMessage = "panic while holding the console lock";

    [KernelTest]
    public static void SpinLock_HeldByOne_RefusesASecond_UntilReleased()
    {
        var spinLock = new SpinLock("test lock");
        using (spinLock.Acquire())
        {
            Assert.True(spinLock.IsHeld);
            Assert.False(Arch.Cpu.InterruptsEnabled);
            Assert.False(spinLock.TryAcquire(out _));
        }

        Assert.False(spinLock.IsHeld);
        Assert.True(spinLock.TryAcquire(out SpinLock.Guard first));
        first.Dispose();
        Assert.True(spinLock.TryAcquire(out SpinLock.Guard second));
        first.Dispose(); // disposing a released guard again must not release the hold taken since
        Assert.True(spinLock.IsHeld, "a stale guard's second dispose released someone else's hold");
        Assert.False(Arch.Cpu.InterruptsEnabled, "a stale guard's second dispose restored the interrupt flag under a live hold");
        second.Dispose();
        Assert.False(spinLock.IsHeld);
    }

    [KernelTest(ExpectedPanic = "deadlock: spinlock 'test deadlock' is still held after 1000 tries")]
    public static void SpinLock_TakenTwiceOnOneCpu_PanicsInsteadOfHanging()
    {
        var spinLock = new SpinLock("test deadlock", spinLimit: 1000);
        SpinLock.Guard first = spinLock.Acquire();
        SpinLock.Guard second = spinLock.Acquire();
        second.Dispose();
        first.Dispose();
    }

    // The runner's report after the panic goes through the console: it arrives only if the panic took it over.
    [KernelTest(ExpectedPanic = PanicMessage)]
    public static void Panic_WhileTheConsoleLockIsHeld_StillGetsItsMessageOut()
    {
        KernelConsole.Write("half an escape sequence: \x1b[1;3");
        SpinLock.Guard held = KernelConsole.Lock.Acquire();
        Panic.Fail(PanicMessage);
        held.Dispose();
    }
}
