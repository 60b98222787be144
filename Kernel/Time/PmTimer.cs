// The ACPI power-management timer: a free-running up counter at 3.579545 MHz
// in an I/O port the FADT names, 24 or 32 bits wide. It needs no setup and
// keeps counting whatever the CPU does, so it is the preferred reference for
// calibrating the TSC and the local APIC timer.
using Kernel.Acpi;
using Kernel.Arch;
using Shared.Acpi;

namespace Kernel.Time;

public static class PmTimer
{
    public const ulong FrequencyHz = Fadt.PmTimerFrequencyHz;

    private static Port32 s_port;
    private static uint s_mask;

    public static bool IsAvailable { get; private set; }

    public static bool Is32Bit => s_mask == 0xFFFF_FFFF;

    public static ushort Port => s_port.Number;

    /// <summary>Finds the timer in the FADT; returns why it is not usable, or null when it is.</summary>
    public static string Initialize(Fadt fadt)
    {
        if (fadt is null || !fadt.PmTimer.IsPresent)
            return "the FADT names no PM timer";
        if (fadt.PmTimer.Space != AddressSpace.SystemIo || fadt.PmTimer.Address > 0xFFFF)
            return "the PM timer is not an I/O port (" + fadt.PmTimer.ToString() + ")";
        s_port = new Port32((ushort)fadt.PmTimer.Address);
        s_mask = fadt.PmTimerIs32Bit ? 0xFFFF_FFFF : 0x00FF_FFFF;
        if (!Counts())
            return "the PM timer at port 0x" + s_port.Number.ToString("X") + " does not count";
        IsAvailable = true;
        return null;
    }

    /// <summary>The counter (24 or 32 significant bits).</summary>
    public static uint Read() => s_port.Read() & s_mask;

    /// <summary>Ticks from <paramref name="earlier"/> to <paramref name="later"/>, across at most one wrap.</summary>
    public static uint Elapsed(uint earlier, uint later) => (later - earlier) & s_mask;

    private static bool Counts()
    {
        uint first = Read();
        for (int i = 0; i < 100_000; i++)
        {
            if (Read() != first)
                return true;
        }

        return false;
    }
}
