// The clocks: the TSC and local APIC timer calibrations, the two reference
// clocks they were calibrated against, and the idle wait.
using Kernel.Arch;
using Kernel.Interrupts.Apic;
using Kernel.Testing;
using Kernel.Time;

namespace Kernel.Tests;

internal static unsafe class TimerTests
{
    [KernelTest(Suite = "interrupts")]
    public static void Tsc_IsCalibrated_AtAPlausibleFrequency()
    {
        Assert.True(TimeStampCounter.IsCalibrated);
        ulong hz = TimeStampCounter.FrequencyHz;
        Assert.True(hz >= 100_000_000 && hz <= 20_000_000_000, "TSC at " + ClockCalibration.Megahertz(hz));
        Assert.True(LocalApic.TimerFrequencyHz >= 1_000_000, "APIC timer at " + ClockCalibration.Megahertz(LocalApic.TimerFrequencyHz));
    }

    [KernelTest(Suite = "interrupts")]
    public static void Tsc_PmTimerAndPitCalibrations_AgreeWithin2Percent()
    {
        Assert.True(PmTimer.IsAvailable && ClockCalibration.HasPit, "QEMU PCs have both a PM timer and a PIT");
        CalibrationResult pm = ClockCalibration.Calibrate(ReferenceClockKind.PmTimer);
        CalibrationResult pit = ClockCalibration.Calibrate(ReferenceClockKind.Pit);
        AssertClose(pm.TscHz, pit.TscHz, 2, "TSC");
        AssertClose(pm.ApicTimerHz, pit.ApicTimerHz, 2, "APIC timer");
        AssertClose(pm.TscHz, TimeStampCounter.FrequencyHz, 2, "TSC against the boot calibration");
    }

    [KernelTest(Suite = "interrupts")]
    public static void PmTimer_Counts3_58MHz_ByTheTsc()
    {
        ulong ticks = MedianCountOver(20_000, &ReadPmTimer, PmTimer.Is32Bit ? 0xFFFF_FFFF : 0x00FF_FFFF);
        AssertClose(PmTimer.FrequencyHz / 50, ticks, 5, "PM timer ticks in 20 ms");
    }

    [KernelTest(Suite = "interrupts")]
    public static void Pit_Channel2_Counts1_19MHz_ByTheTsc()
    {
        Pit.StartChannel2();
        ulong ticks = MedianCountOver(20_000, &ReadPitUp, 0xFFFF);
        Pit.StopChannel2();
        AssertClose(Pit.FrequencyHz / 50, ticks, 5, "PIT ticks in 20 ms");
    }

    [KernelTest(Suite = "interrupts")]
    public static void TimeStampCounter_MicrosecondConversions_RoundTrip()
    {
        Assert.Equal(1_000_000UL, TimeStampCounter.ToMicroseconds(TimeStampCounter.FrequencyHz));
        ulong cycles = TimeStampCounter.FromMicroseconds(123_456_789);
        Assert.True(TimeStampCounter.ToMicroseconds(cycles) >= 123_456_788 && TimeStampCounter.ToMicroseconds(cycles) <= 123_456_789);
        Assert.True(TimeStampCounter.ToMicroseconds(ulong.MaxValue) > 0, "no overflow for the largest count");
    }

    [KernelTest(Suite = "interrupts")]
    public static void SpinWait_WaitsAtLeastTheTimeAskedByThePmTimer()
    {
        uint before = PmTimer.Read();
        TimeStampCounter.SpinWait(10_000);
        uint ticks = PmTimer.Elapsed(before, PmTimer.Read());
        Assert.True(ticks >= PmTimer.FrequencyHz / 100 * 98 / 100, "10 ms spin = " + ticks.ToString() + " PM timer ticks");
    }

    private static bool s_work;
    private static bool s_checkedWithInterruptsOff;

    private static bool HasWork()
    {
        s_checkedWithInterruptsOff = !Cpu.InterruptsEnabled;
        return s_work;
    }

    // Only the path that returns at once can run before the IDT exists: halting needs an interrupt to wake up.
    [KernelTest(Suite = "interrupts")]
    public static void Idle_WithWorkPending_ChecksWithInterruptsOffAndReturns()
    {
        for (int vector = 0x20; vector < 256; vector++)
            Assert.False(LocalApic.IsRequested((byte)vector), "no interrupt may be pending before interrupts are enabled");
        s_work = true;
        Idle.WaitFor(&HasWork);
        bool enabledAfter = Cpu.InterruptsEnabled;
        Cpu.DisableInterrupts();
        Assert.True(s_checkedWithInterruptsOff, "the condition is checked with interrupts off (no lost wake-up)");
        Assert.True(enabledAfter, "WaitFor leaves interrupts enabled");
    }

    private static ulong ReadPmTimer() => PmTimer.Read();

    private static ulong ReadPitUp() => (ushort)~Pit.ReadChannel2();

    // The median of five counts, so a run in which the host descheduled QEMU past a counter wrap does not decide.
    private static ulong MedianCountOver(ulong microseconds, delegate*<ulong> read, ulong mask)
    {
        System.Span<ulong> counts = stackalloc ulong[5];
        for (int i = 0; i < counts.Length; i++)
            counts[i] = CountOver(microseconds, read, mask);
        System.MemoryExtensions.Sort(counts);
        return counts[counts.Length / 2];
    }

    // Ticks a counter advances over a TSC-timed interval, following wraps of its width.
    private static ulong CountOver(ulong microseconds, delegate*<ulong> read, ulong mask)
    {
        ulong limit = TimeStampCounter.FromMicroseconds(microseconds);
        ulong start = TimeStampCounter.Read();
        ulong last = read();
        ulong total = 0;
        while (TimeStampCounter.Read() - start < limit)
        {
            ulong now = read();
            total += (now - last) & mask;
            last = now;
        }

        return total;
    }

    private static void AssertClose(ulong expected, ulong actual, ulong percent, string what)
        => Assert.True(actual * 100 >= expected * (100 - percent) && actual * 100 <= expected * (100 + percent),
            what + ": expected " + expected.ToString() + " +/- " + percent.ToString() + "%, got " + actual.ToString());
}
