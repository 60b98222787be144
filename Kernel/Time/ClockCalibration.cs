// Measures how fast the TSC and the local APIC timer run, by counting both
// across windows of a reference clock of known frequency (ReferenceClock):
//
//   frequency = counted ticks x reference frequency / reference ticks
//
// Each end of a window is sampled as APIC count, rdtsc, reference, rdtsc,
// APIC count, with the midpoints taken as the values at the reference read.
// Five 10 ms windows are measured and the median kept, so one window
// disturbed by the host (under QEMU a vCPU can be descheduled for
// milliseconds) does not skew the result; the spread between windows is
// reported. Interrupts stay off and the APIC timer runs masked: this needs
// no interrupt at all. Calibrating again later pauses the system tick, which
// uses the same timer, and restarts it afterwards.
using System;
using Kernel.Acpi;
using Kernel.Arch;
using Kernel.Diagnostics;
using Kernel.Interrupts.Apic;

namespace Kernel.Time;

public readonly struct CalibrationResult
{
    public ReferenceClockKind Reference { get; init; }

    public ulong TscHz { get; init; }

    /// <summary>The local APIC timer's count rate with the divider used (ClockCalibration.ApicTimerDivide).</summary>
    public ulong ApicTimerHz { get; init; }

    /// <summary>(largest - smallest) / median of the TSC windows, in parts per million.</summary>
    public ulong TscSpreadPpm { get; init; }
}

public static class ClockCalibration
{
    public const TimerDivide ApicTimerDivide = TimerDivide.By16;
    private const int Windows = 5;
    private const int SampleAttempts = 3;
    private const ulong WindowMicroseconds = 10_000;

    public static bool IsCalibrated { get; private set; }

    public static CalibrationResult Result { get; private set; }

    /// <summary>Whether PIT channel 2 counts on this machine (checked by Initialize).</summary>
    public static bool HasPit { get; private set; }

    /// <summary>
    /// Finds the reference clocks (PM timer from the FADT, PIT channel 2), calibrates the TSC and the APIC timer
    /// against the better one, and logs the outcome. Without any reference the clocks stay uncalibrated (warning).
    /// </summary>
    public static void Initialize()
    {
        string pmProblem = PmTimer.Initialize(PlatformTables.Fadt);
        HasPit = Pit.IsPresent();
        if (pmProblem is not null)
            KernelLog.WriteLine("[boot] clocks: warning: " + pmProblem + (HasPit ? "; calibrating against the PIT" : ""));
        if (!PmTimer.IsAvailable && !HasPit)
        {
            KernelLog.WriteLine("[boot] clocks: warning: neither a PM timer nor a PIT counts: the TSC and APIC timer stay uncalibrated");
            return;
        }

        CalibrationResult result = Calibrate(PmTimer.IsAvailable ? ReferenceClockKind.PmTimer : ReferenceClockKind.Pit);
        Apply(result);
        string reference = result.Reference == ReferenceClockKind.PmTimer ? "PM timer" : "PIT";
        BootLog.Stage("TSC", Megahertz(result.TscHz) + " (" + reference + ", spread " + result.TscSpreadPpm.ToString() + " ppm"
            + (TimeStampCounter.IsInvariant ? ", invariant)" : ")"));
        BootLog.Stage("APIC timer", Megahertz(result.ApicTimerHz) + " after divide by " + ApicTimerDivide.Divisor().ToString());
    }

    /// <summary>Makes a calibration the kernel's: sets TimeStampCounter and LocalApic timer frequencies.</summary>
    public static void Apply(CalibrationResult result)
    {
        Result = result;
        TimeStampCounter.SetFrequency(result.TscHz);
        LocalApic.SetTimerFrequency(result.ApicTimerHz);
        IsCalibrated = true;
    }

    /// <summary>Measures the TSC and the APIC timer against <paramref name="kind"/> (which must be available).</summary>
    public static CalibrationResult Calibrate(ReferenceClockKind kind)
    {
        using SystemTimer.PauseScope tick = SystemTimer.Pause(); // the APIC timer is borrowed for the measurement
        using InterruptGuard guard = Cpu.DisableInterruptsScoped();
        Span<ulong> tsc = stackalloc ulong[Windows];
        Span<ulong> apic = stackalloc ulong[Windows];
        ReferenceClock clock = ReferenceClock.Start(kind);
        ulong windowTicks = clock.FrequencyHz * WindowMicroseconds / 1_000_000;
        LocalApic.StartTimer(TimerMode.OneShot, IrqVectors.LocalApicTimer, uint.MaxValue, ApicTimerDivide, masked: true);
        for (int i = 0; i < Windows; i++)
            MeasureWindow(ref clock, windowTicks, out tsc[i], out apic[i]);
        LocalApic.StopTimer();
        if (kind == ReferenceClockKind.Pit)
            Pit.StopChannel2();

        tsc.Sort();
        apic.Sort();
        ulong median = tsc[Windows / 2];
        return new CalibrationResult
        {
            Reference = kind,
            TscHz = median,
            ApicTimerHz = apic[Windows / 2],
            TscSpreadPpm = median == 0 ? 0 : (tsc[Windows - 1] - tsc[0]) * 1_000_000 / median,
        };
    }

    private static void MeasureWindow(ref ReferenceClock clock, ulong windowTicks, out ulong tscHz, out ulong apicHz)
    {
        Sample(ref clock, out ulong tsc0, out ulong reference0, out uint apic0);
        ulong reference = reference0;
        while (reference - reference0 < windowTicks)
            reference = clock.Update();
        Sample(ref clock, out ulong tsc1, out ulong reference1, out uint apic1);

        ulong elapsed = reference1 - reference0;
        tscHz = (tsc1 - tsc0) * clock.FrequencyHz / elapsed;
        apicHz = (ulong)(apic0 - apic1) * clock.FrequencyHz / elapsed;
    }

    // Reads the APIC timer, the TSC, the reference, the TSC and the APIC timer again, and takes the TSC and APIC
    // midpoints as the values at the moment of the reference read. Of a few tries the one with the tightest
    // TSC bracket is kept: a try during which the (virtual) CPU was descheduled has a wide one.
    private static void Sample(ref ReferenceClock clock, out ulong tsc, out ulong reference, out uint apicCount)
    {
        ulong bestWidth = ulong.MaxValue;
        tsc = 0;
        reference = 0;
        apicCount = 0;
        for (int attempt = 0; attempt < SampleAttempts; attempt++)
        {
            uint apicBefore = LocalApic.TimerCurrentCount;
            ulong before = TimeStampCounter.Read();
            ulong ticks = clock.Update();
            ulong after = TimeStampCounter.Read();
            uint apicAfter = LocalApic.TimerCurrentCount;
            if (after - before >= bestWidth)
                continue;
            bestWidth = after - before;
            tsc = before + (bestWidth / 2);
            reference = ticks;
            apicCount = apicBefore - ((apicBefore - apicAfter) / 2);
        }
    }

    /// <summary>"2904.512 MHz": three decimals, integer arithmetic only.</summary>
    public static string Megahertz(ulong hz)
        => (hz / 1_000_000).ToString() + "." + (hz / 1_000 % 1_000).ToString().PadLeft(3, '0') + " MHz";
}
