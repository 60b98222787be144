// The clocks: the TSC and local APIC timer calibrations and the two reference
// clocks they were calibrated against (the tick and the idle wait are in
// InterruptDeliveryTests).
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
        ulong hz = MedianRate(&ReadPmTimer, PmTimer.Is32Bit ? 0xFFFF_FFFF : 0x00FF_FFFF, PmTimer.FrequencyHz);
        AssertClose(PmTimer.FrequencyHz, hz, 5, "PM timer rate in Hz");
    }

    [KernelTest(Suite = "interrupts")]
    public static void Pit_Channel2_Counts1_19MHz_ByTheTsc()
    {
        Pit.StartChannel2();
        ulong hz = MedianRate(&ReadPitUp, 0xFFFF, Pit.FrequencyHz);
        Pit.StopChannel2();
        AssertClose(Pit.FrequencyHz, hz, 5, "PIT rate in Hz");
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

    private static ulong ReadPmTimer() => PmTimer.Read();

    private static ulong ReadPitUp() => (ushort)~Pit.ReadChannel2();

    // The median of five measurements. A measurement during which the host paused QEMU for so long that the
    // counter may have wrapped unseen is discarded and taken again.
    private static ulong MedianRate(delegate*<ulong> read, ulong mask, ulong nominalHz)
    {
        ulong wrapGuard = TimeStampCounter.FromMicroseconds((mask + 1) / 2 * 1_000_000 / nominalHz);
        System.Span<ulong> rates = stackalloc ulong[5];
        int valid = 0;
        for (int attempt = 0; attempt < 20 && valid < rates.Length; attempt++)
        {
            if (TryMeasureRate(read, mask, wrapGuard, out ulong rate))
                rates[valid++] = rate;
        }

        Assert.True(valid == rates.Length, "the host paused QEMU through too many measurements");
        System.MemoryExtensions.Sort(rates);
        return rates[rates.Length / 2];
    }

    // Follows a counter (wrapping at its width) for about 40 ms and returns its rate by the TSC, timing exactly the
    // span between a first and a last read. Each end is the tightest of three TSC-bracketed reads: a read during
    // which the host descheduled QEMU has a wide bracket and an uncertain time. False when two reads were more
    // than half a wrap period apart.
    private static bool TryMeasureRate(delegate*<ulong> read, ulong mask, ulong wrapGuard, out ulong rate)
    {
        ulong limit = TimeStampCounter.FromMicroseconds(40_000);
        ulong ticks = 0;
        ulong last = read();
        ulong start = TightestStamp(read, mask, ref last, ref ticks, out ulong ticksAtStart);
        ulong now = start;
        bool paused = false;
        while (now - start < limit)
        {
            ulong previous = now;
            now = TimeStampCounter.Read();
            paused |= now - previous > wrapGuard;
            ulong value = read();
            ticks += (value - last) & mask;
            last = value;
        }

        ulong end = TightestStamp(read, mask, ref last, ref ticks, out ulong ticksAtEnd);
        rate = (ticksAtEnd - ticksAtStart) * TimeStampCounter.FrequencyHz / (end - start);
        return !paused;
    }

    // Three bracketed reads, following the counter; returns the TSC midpoint of the tightest and the tick count at it.
    private static ulong TightestStamp(delegate*<ulong> read, ulong mask, ref ulong last, ref ulong ticks, out ulong ticksThen)
    {
        ulong bestWidth = ulong.MaxValue;
        ulong stamp = 0;
        ticksThen = 0;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            ulong before = TimeStampCounter.Read();
            ulong value = read();
            ulong after = TimeStampCounter.Read();
            ticks += (value - last) & mask;
            last = value;
            if (after - before < bestWidth)
            {
                bestWidth = after - before;
                stamp = before + (bestWidth / 2);
                ticksThen = ticks;
            }
        }

        return stamp;
    }

    private static void AssertClose(ulong expected, ulong actual, ulong percent, string what)
        => Assert.True(actual * 100 >= expected * (100 - percent) && actual * 100 <= expected * (100 + percent),
            what + ": expected " + expected.ToString() + " +/- " + percent.ToString() + "%, got " + actual.ToString());
}
