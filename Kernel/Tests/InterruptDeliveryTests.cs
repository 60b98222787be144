// Interrupts delivered for real (suite "interrupts", so they also run on the
// pc/4-CPU and q35/8-CPU boots of tests/Boot.Tests/InterruptHardwareTests.cs,
// the first at timer = 250): the tick's rate against the TSC, keyboard
// interrupts generated through the i8042 itself (command 0xD2 puts a byte in
// its output buffer exactly as if the keyboard had sent it, IRQ1 included)
// decoded in order with the tick going on, a full scancode queue dropping
// input with its warning, and the handlers of the vectors the controllers
// raise on their own. The 8259s stay silent throughout.
using Kernel.Arch;
using Kernel.Drivers;
using Kernel.Input;
using Kernel.Interrupts;
using Kernel.Interrupts.Apic;
using Kernel.Testing;
using Kernel.Time;
using Shared.Console;

namespace Kernel.Tests;

internal static unsafe class InterruptDeliveryTests
{
    private const string Letters = "qwertyuiopasdfghjklzxcvbnm";

    // Make codes of the letters above, row by row (scan code set 1).
    private static readonly byte[] s_letterCodes =
    {
        0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19,
        0x1E, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26,
        0x2C, 0x2D, 0x2E, 0x2F, 0x30, 0x31, 0x32,
    };

    private static ulong s_targetTick;

    [KernelTest(Suite = "interrupts")]
    public static void Timer_RunsAtTheConfiguredRate()
    {
        Assert.True(SystemTimer.IsRunning);
        Assert.True(Cpu.InterruptsEnabled, "tests run with interrupts on");
        Assert.Equal((ulong)KernelState.BootInfo->Config.TimerHz, SystemTimer.Hz);
        // The period programmed into the APIC timer, at its calibrated count rate, is the configured rate (within
        // the 0.1 % an integer count can miss it by); whether it really ticks that fast is the next test's question.
        ulong programmedMilliHz = LocalApic.TimerFrequencyHz * 1000 / LocalApic.TimerInitialCount;
        ulong configuredMilliHz = (ulong)SystemTimer.Hz * 1000;
        Assert.True(programmedMilliHz * 1000 >= configuredMilliHz * 999 && programmedMilliHz * 1000 <= configuredMilliHz * 1001,
            "the APIC timer is programmed for " + programmedMilliHz.ToString() + " mHz, configured " + configuredMilliHz.ToString() + " mHz");
    }

    // Times a second's worth of tick periods (at least 100) one by one against the TSC and computes the rate over
    // the periods that came undisturbed. A period of 1.5 tick periods or more means a tick was held off or lost -
    // the host descheduled QEMU, or interrupts were off (a gc.stress collection, though nothing here allocates:
    // checked) - and says nothing about the timer's rate: it is left out, and so is the period after it (a late
    // tick shortens the next one). Consecutive counted periods share their edges, so wake-up jitter cancels out.
    // At least half the periods must count, and their rate must be within 3 % of the configured rate: a timer that
    // really runs 1.5 times slow or more has every period left out, one less slow (or fast) fails on the rate.
    [KernelTest(Suite = "interrupts")]
    public static void Timer_TicksAtTheConfiguredRate_ByTheTsc()
    {
        ulong periods = SystemTimer.Hz > 100 ? SystemTimer.Hz : 100;
        ulong disturbed = TimeStampCounter.FrequencyHz * 3 / 2 / SystemTimer.Hz;
        ulong allocations = Internal.Runtime.RuntimeAllocator.AllocationCount;
        WaitForTicks(1);
        ulong firstTick = SystemTimer.Ticks;
        ulong previous = TimeStampCounter.Read();
        ulong counted = 0, countedCycles = 0, longest = 0;
        bool afterDisturbance = false;
        for (ulong i = 1; i <= periods; i++)
        {
            WaitUntilTick(firstTick + i);
            ulong now = TimeStampCounter.Read();
            ulong period = now - previous;
            previous = now;
            longest = period > longest ? period : longest;
            if (period >= disturbed || afterDisturbance)
            {
                afterDisturbance = period >= disturbed;
                continue;
            }

            counted++;
            countedCycles += period;
        }

        Assert.Equal(allocations, Internal.Runtime.RuntimeAllocator.AllocationCount);
        Assert.True(counted * 2 >= periods, "only " + counted.ToString() + " of " + periods.ToString() + " tick periods came undisturbed (longest "
            + TimeStampCounter.ToMicroseconds(longest).ToString() + " us, period " + (1_000_000 / SystemTimer.Hz).ToString() + " us)");
        ulong milliHz = counted * 1000 * TimeStampCounter.FrequencyHz / countedCycles;
        ulong expected = (ulong)SystemTimer.Hz * 1000;
        Diagnostics.KernelLog.WriteLine("[bench] tick-rate-millihz " + milliHz.ToString());
        Assert.True(milliHz * 100 >= expected * 97 && milliHz * 100 <= expected * 103,
            "ticked at " + (milliHz / 1000).ToString() + "." + (milliHz % 1000).ToString().PadLeft(3, '0') + " Hz, configured "
            + SystemTimer.Hz.ToString() + " Hz (over " + counted.ToString() + " of " + periods.ToString() + " periods)");
    }

    // From one tick edge to another 200 ms of ticks later: uptime advances by 200 ms, and the TSC says about that
    // much time passed at least (ticks are never early; a lost one only makes the wait longer; 25 ms of slack for
    // a late wake-up at the first edge).
    [KernelTest(Suite = "interrupts")]
    public static void Uptime_AdvancesWithTheTicks_NeverAheadOfTheTsc()
    {
        WaitForTicks(1);
        ulong uptime0 = SystemTimer.UptimeMilliseconds;
        ulong tsc0 = TimeStampCounter.Read();
        WaitForTicks(SystemTimer.Hz / 5);
        ulong uptime = SystemTimer.UptimeMilliseconds - uptime0;
        ulong measured = TimeStampCounter.ToMicroseconds(TimeStampCounter.Read() - tsc0) / 1000;
        Assert.True(uptime >= 199 && uptime <= 201, "uptime advanced " + uptime.ToString() + " ms over 200 ms of ticks");
        Assert.True(measured + 25 >= uptime, "uptime " + uptime.ToString() + " ms ran ahead of the TSC's " + measured.ToString() + " ms");
    }

    private static bool TickReached() => SystemTimer.Ticks >= s_targetTick;

    private static bool s_checkedWithInterruptsOff;

    private static bool TickReachedCheckingFlags()
    {
        s_checkedWithInterruptsOff = !Cpu.InterruptsEnabled;
        return SystemTimer.Ticks >= s_targetTick;
    }

    [KernelTest(Suite = "interrupts")]
    public static void Idle_SleepsUntilTheTickWakesIt_CheckingWithInterruptsOff()
    {
        ulong haltsBefore = InterruptDispatcher.Count(IrqVectors.LocalApicTimer);
        s_targetTick = SystemTimer.Ticks + 3;
        Idle.WaitFor(&TickReachedCheckingFlags);
        Assert.True(s_checkedWithInterruptsOff, "the condition is checked with interrupts off (no lost wake-up)");
        Assert.True(Cpu.InterruptsEnabled, "WaitFor leaves interrupts enabled");
        Assert.True(InterruptDispatcher.Count(IrqVectors.LocalApicTimer) - haltsBefore >= 3, "three ticks woke it");
    }

    [KernelTest(Suite = "interrupts")]
    public static void Pic8259_RaisesNothing_WhileTheTickRuns()
    {
        ulong before = InterruptControllers.LegacyPicInterrupts;
        WaitForTicks(20);
        Assert.Equal(0UL, InterruptControllers.LegacyPicInterrupts - before);
        Assert.Equal(0xFFFFUL, Pic8259.Masks);
        Assert.Equal(0UL, Pic8259.InService);
    }

    // 208 keys, 416 keyboard interrupts: every one decoded in order, each acknowledged (else the next could not
    // arrive), and the tick still running afterwards.
    [KernelTest(Suite = "interrupts")]
    public static void Keyboard_HundredsOfInterrupts_ArriveDecodedInOrder_AndTheTickGoesOn()
    {
        Assert.True(Ps2Keyboard.InterruptsEnabled, "QEMU's i8042 is there");
        const int Rounds = 8;
        DrainConsoleInput();
        ulong interruptsBefore = InterruptDispatcher.Count(IrqVectors.Keyboard);
        uint droppedBefore = Ps2Keyboard.Scancodes.DroppedCount;
        var typed = new char[Rounds * Letters.Length];
        int count = 0;
        for (int round = 0; round < Rounds; round++)
        {
            foreach (byte code in s_letterCodes)
            {
                Inject(code);
                Inject((byte)(code | 0x80));
                InputPump.Pump();
                while (ConsoleInput.TryReadKey(out KeyPress key) && count < typed.Length)
                    typed[count++] = key.Character;
            }
        }

        Assert.Equal((ulong)(2 * Rounds * Letters.Length), InterruptDispatcher.Count(IrqVectors.Keyboard) - interruptsBefore);
        var expected = new char[typed.Length];
        for (int i = 0; i < expected.Length; i++)
            expected[i] = Letters[i % Letters.Length];
        Assert.Equal(new string(expected), new string(typed, 0, count));
        Assert.Equal(0UL, (ulong)(Ps2Keyboard.Scancodes.DroppedCount - droppedBefore));

        ulong ticksAfterKeys = SystemTimer.Ticks;
        WaitForTicks(10);
        Assert.True(SystemTimer.Ticks >= ticksAfterKeys + 10);
    }

    // With no one taking scancodes, the 256-slot ring fills: 300 bytes in, 44 dropped and counted, and the next
    // pump warns once with the count. Release codes of a key never pressed decode to no key press.
    [KernelTest(Suite = "interrupts")]
    public static void Keyboard_FullScancodeQueue_DropsNewInput_WithOneWarning()
    {
        InputPump.Pump();
        uint droppedBefore = Ps2Keyboard.Scancodes.DroppedCount;
        for (int i = 0; i < 300; i++)
            Inject(0x9E); // 'a' released
        Assert.Equal(Ps2Keyboard.QueueCapacity, Ps2Keyboard.Scancodes.Count);
        Assert.Equal(44UL, (ulong)(Ps2Keyboard.Scancodes.DroppedCount - droppedBefore));

        InputPump.Pump();
        Assert.True(Ps2Keyboard.Scancodes.IsEmpty);
        Assert.Equal("scancode queue full; dropping keyboard input (44 scancodes lost)", InputPump.LastWarning);
    }

    // Software interrupts on the controllers' own vectors reach their handlers: the error handler latches the
    // error status (none) and counts, the spurious handlers count, and nothing is left in service.
    [KernelTest(Suite = "interrupts")]
    public static void ControllerVectors_ReachTheirHandlers()
    {
        ulong errors = InterruptControllers.ApicErrors;
        ulong spurious = InterruptControllers.SpuriousInterrupts;
        NativeInterrupts.SoftwareInterrupt(IrqVectors.LocalApicError);
        NativeInterrupts.SoftwareInterrupt(IrqVectors.Spurious);
        NativeInterrupts.SoftwareInterrupt((byte)(IrqVectors.LegacyPicBase + 7)); // IRQ7 with its in-service bit clear: spurious
        Assert.Equal(errors + 1, InterruptControllers.ApicErrors);
        Assert.Equal(0UL, InterruptControllers.LastApicErrorStatus);
        Assert.Equal(spurious + 2, InterruptControllers.SpuriousInterrupts);
        Assert.True(InterruptControllers.HasEventsToReport);
        Assert.True(InterruptControllers.ReportEvents(), "the APIC error is reported from task context");
        Assert.False(InterruptControllers.HasEventsToReport);
        WaitForTicks(2);
    }

    // Puts a byte into the i8042's output buffer and waits until the IRQ1 handler has taken it.
    private static void Inject(byte code)
    {
        Assert.True(Ps2Controller.TryInjectKeyboardByte(code), "the i8042 accepts command 0xD2");
        ulong start = TimeStampCounter.Read();
        ulong limit = TimeStampCounter.FromMicroseconds(100_000);
        while (Ps2Controller.OutputBufferFull)
        {
            Assert.True(TimeStampCounter.Read() - start < limit, "no keyboard interrupt took the byte within 100 ms");
            Cpu.Pause();
        }
    }

    private static void DrainConsoleInput()
    {
        InputPump.Pump();
        while (ConsoleInput.TryReadKey(out _))
        {
        }
    }

    // Sleeps until <ticks> more ticks have passed, returning right after the last one (checked with interrupts
    // off, then sti; hlt, so no tick slips in between). Fails when the tick stops: after 1 s plus ten times the
    // expected wait by the TSC.
    private static void WaitForTicks(ulong ticks) => WaitUntilTick(SystemTimer.Ticks + ticks);

    // Sleeps until the tick counter reaches <target>; the same as WaitForTicks with an absolute target, so a caller
    // that wakes late does not wait a period more than it counts.
    private static void WaitUntilTick(ulong target)
    {
        s_targetTick = target;
        ulong ticks = target > SystemTimer.Ticks ? target - SystemTimer.Ticks : 0;
        ulong start = TimeStampCounter.Read();
        ulong limit = TimeStampCounter.FromMicroseconds(1_000_000 + (ticks * 10_000_000 / SystemTimer.Hz));
        while (true)
        {
            Cpu.DisableInterrupts();
            if (TickReached())
                break;
            if (TimeStampCounter.Read() - start >= limit) // the message only on failure: an allocation per wake-up would let gc.stress collect in here
                Assert.True(false, "the tick stopped at " + SystemTimer.Ticks.ToString());
            Cpu.EnableInterruptsAndHalt();
        }

        Cpu.EnableInterrupts();
    }
}
