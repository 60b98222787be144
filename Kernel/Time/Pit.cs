// The 8254 programmable interval timer: three 16-bit down counters fed by a
// 1.193182 MHz crystal (a third of the original PC's 3.579545 MHz NTSC
// crystal, divided by 4). Channel 0 drives IRQ0, channel 1 is gone, and
// channel 2 feeds the PC speaker through a gate in port 0x61 - which makes it
// a counter the kernel can run and read without any interrupt. That is all
// this kernel uses it for: a known clock to measure the others against.
using Kernel.Arch;

namespace Kernel.Time;

public static class Pit
{
    public const ulong FrequencyHz = 1_193_182;

    private static readonly Port8 s_channel2 = new(0x42);
    private static readonly Port8 s_command = new(0x43);
    private static readonly Port8 s_speakerControl = new(0x61);

    private const byte SelectChannel2 = 0b10 << 6;
    private const byte AccessLowThenHigh = 0b11 << 4;
    private const byte ModeRateGenerator = 0b010 << 1;
    private const byte LatchChannel2 = SelectChannel2; // access bits 00 = latch the count
    private const byte Gate2 = 1 << 0;
    private const byte SpeakerData = 1 << 1;

    /// <summary>
    /// Starts channel 2 as a free-running counter (rate generator, reload 65536), speaker off. It wraps every
    /// 54.9 ms; read it more often than that to follow it.
    /// </summary>
    public static void StartChannel2()
    {
        byte control = s_speakerControl.Read();
        Write(s_speakerControl, (byte)((control & ~SpeakerData) & ~Gate2));
        Write(s_command, SelectChannel2 | AccessLowThenHigh | ModeRateGenerator);
        Write(s_channel2, 0);  // reload value 0 means 65536
        Write(s_channel2, 0);
        Write(s_speakerControl, (byte)((control & ~SpeakerData) | Gate2));  // the gate rising edge starts the count
    }

    /// <summary>Channel 2's current count (counting down), latched so both bytes belong to the same instant.</summary>
    public static ushort ReadChannel2()
    {
        Write(s_command, LatchChannel2);
        byte low = s_channel2.Read();
        byte high = s_channel2.Read();
        return (ushort)(low | (high << 8));
    }

    /// <summary>Stops channel 2 (gate low).</summary>
    public static void StopChannel2() => Write(s_speakerControl, (byte)(s_speakerControl.Read() & ~(Gate2 | SpeakerData)));

    // The PIT and the speaker-control bits of port 0x61 count time and move no memory:
    // writing them cannot break memory safety.
    private static void Write(Port8 port, byte value)
    {
        unsafe
        {
            port.Write(value);
        }
    }

    /// <summary>
    /// Starts channel 2 and checks that it counts (its value changes within a bounded number of reads). False on
    /// machines without a PIT (QEMU -machine ...,pit=off), whose ports read 0xFF.
    /// </summary>
    public static bool IsPresent()
    {
        StartChannel2();
        ushort first = ReadChannel2();
        for (int i = 0; i < 100_000; i++)
        {
            if (ReadChannel2() != first)
                return true;
        }

        return false;
    }
}
