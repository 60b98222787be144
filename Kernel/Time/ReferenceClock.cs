// A clock of known frequency to measure the TSC and the local APIC timer
// against: the ACPI PM timer (3.579545 MHz, 24/32-bit up counter) or PIT
// channel 2 (1.193182 MHz, 16-bit down counter). Read often enough - more
// than once per wrap, 4.7 s for the PM timer, 55 ms for the PIT - it is
// extended here to a 64-bit tick count that only grows.
namespace Kernel.Time;

public enum ReferenceClockKind
{
    PmTimer,
    Pit,
}

public struct ReferenceClock
{
    private uint _last;
    private ulong _ticks;

    private ReferenceClock(ReferenceClockKind kind)
    {
        Kind = kind;
        _last = ReadRaw(kind);
        _ticks = 0;
    }

    public ReferenceClockKind Kind { get; }

    public ulong FrequencyHz => Kind == ReferenceClockKind.PmTimer ? PmTimer.FrequencyHz : Pit.FrequencyHz;

    public string Name => Kind == ReferenceClockKind.PmTimer ? "PM timer" : "PIT";

    /// <summary>Starts following the clock (for the PIT: starts channel 2). The caller checks availability first.</summary>
    public static ReferenceClock Start(ReferenceClockKind kind)
    {
        if (kind == ReferenceClockKind.Pit)
            Pit.StartChannel2();
        return new ReferenceClock(kind);
    }

    /// <summary>Reads the hardware counter and returns the ticks since Start.</summary>
    public ulong Update()
    {
        uint now = ReadRaw(Kind);
        uint elapsed = Kind == ReferenceClockKind.PmTimer ? PmTimer.Elapsed(_last, now) : (ushort)(_last - now);
        _last = now;
        _ticks += elapsed;
        return _ticks;
    }

    private static uint ReadRaw(ReferenceClockKind kind) => kind == ReferenceClockKind.PmTimer ? PmTimer.Read() : Pit.ReadChannel2();
}
