// The kernel's heartbeat: the boot CPU's local APIC timer in periodic mode,
// interrupting Hz times a second (kernel.conf "timer", 100 by default) on
// vector 0xF0. Each interrupt adds one to a 64-bit tick count and
// acknowledges the APIC; nothing else happens in the handler. Everything
// that needs "how long since boot" reads the count:
//
//   SystemTimer.Ticks                  monotonic, never wraps in practice
//   SystemTimer.UptimeMilliseconds     ticks x 1000 / Hz
//
// The count only moves while interrupts are enabled, and a tick that arrives
// while the previous one is still pending (interrupts off for longer than a
// period, or QEMU's vCPU descheduled by the host) is merged into it: the
// APIC has one request bit per vector. So the tick is the kernel's notion of
// elapsed time, not a precise clock; TimeStampCounter is the precise one.
//
// Code that needs the APIC timer for itself (calibration, timer tests) takes
// it with Pause(), which stops the tick and restarts it when disposed.
using System.Threading;
using Kernel.Arch;
using Kernel.Diagnostics;
using Kernel.Interrupts;
using Kernel.Interrupts.Apic;

namespace Kernel.Time;

public static unsafe class SystemTimer
{
    private static ulong s_ticks;
    private static bool s_handlerInstalled;

    /// <summary>Interrupts per second; 0 until Start.</summary>
    public static uint Hz { get; private set; }

    public static bool IsRunning { get; private set; }

    /// <summary>Timer interrupts handled since Start.</summary>
    public static ulong Ticks => Volatile.Read(ref s_ticks);

    /// <summary>Milliseconds since the timer started, by the tick count (0 before Start).</summary>
    public static ulong UptimeMilliseconds => Hz == 0 ? 0 : Ticks * 1000 / Hz;

    /// <summary>
    /// Starts the periodic tick at <paramref name="hz"/>. The APIC timer must be calibrated (ClockCalibration);
    /// returns a boot-log description, or a warning when it is not and the tick cannot run.
    /// </summary>
    public static string Start(uint hz)
    {
        if (LocalApic.TimerFrequencyHz == 0)
            return "warning: the APIC timer is not calibrated: no timer interrupts, the tick count stays 0";
        if (!s_handlerInstalled)
        {
            InterruptDispatcher.Register(IrqVectors.LocalApicTimer, &OnTick);
            s_handlerInstalled = true;
        }

        Hz = hz;
        LocalApic.StartPeriodicTimer(IrqVectors.LocalApicTimer, hz);
        IsRunning = true;
        return "ok, " + hz.ToString() + " Hz on vector 0x" + IrqVectors.LocalApicTimer.ToString("X2") + " (APIC timer count "
            + LocalApic.TimerInitialCount.ToString() + ")";
    }

    /// <summary>
    /// Stops the tick so the caller can use the APIC timer; disposing the result restarts it at the same rate.
    /// Does nothing (and restarts nothing) when the tick is not running.
    /// </summary>
    public static PauseScope Pause()
    {
        if (!IsRunning)
            return default;
        LocalApic.StopTimer();
        IsRunning = false;
        return new PauseScope(Hz);
    }

    private static void OnTick(InterruptFrame* frame)
    {
        s_ticks++;
        LocalApic.Eoi();
    }

    /// <summary>Restarts the tick when disposed (see Pause).</summary>
    public readonly struct PauseScope : System.IDisposable
    {
        private readonly uint _hz;

        internal PauseScope(uint hz) => _hz = hz;

        public void Dispose()
        {
            if (_hz == 0)
                return;
            LocalApic.StartPeriodicTimer(IrqVectors.LocalApicTimer, _hz);
            IsRunning = true;
        }
    }
}
