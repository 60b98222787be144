// Time since boot as people read it, from the TSC: "12.345 s" for the
// shell's uptime command, "00:01:23" for the clock.
using Kernel.Time;

namespace Kernel.Tasks;

public static class Uptime
{
    private static ulong s_bootTimestamp;

    /// <summary>Remembers the boot's TSC reading (as early as possible; 0 counts from reset).</summary>
    public static void MarkBoot(ulong timestamp) => s_bootTimestamp = timestamp;

    public static ulong Milliseconds => TimeStampCounter.ToMicroseconds(TimeStampCounter.Read() - s_bootTimestamp) / 1000;

    /// <summary>Seconds with three decimals: "12.345".</summary>
    public static string Seconds()
    {
        ulong ms = Milliseconds;
        string fraction = (ms % 1000).ToString();
        while (fraction.Length < 3)
            fraction = "0" + fraction;
        return (ms / 1000).ToString() + "." + fraction;
    }

    /// <summary>hh:mm:ss since boot.</summary>
    public static string Format(ulong now)
    {
        ulong seconds = TimeStampCounter.ToMicroseconds(now - s_bootTimestamp) / 1_000_000;
        return Two(seconds / 3600) + ":" + Two(seconds / 60 % 60) + ":" + Two(seconds % 60);
    }

    private static string Two(ulong value) => value < 10 ? "0" + value.ToString() : value.ToString();
}
