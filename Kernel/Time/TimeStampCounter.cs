// The time-stamp counter: a 64-bit count of CPU reference cycles, read with
// one instruction (rdtsc) and so the cheapest clock there is - what the test
// runner and the benchmarks time with. Its frequency is not architecturally
// known, so ClockCalibration measures it against the PM timer or the PIT.
// CPUID says whether it is invariant (constant rate in every power state);
// under QEMU TCG it follows the host's TSC.
using Kernel.Arch;

namespace Kernel.Time;

public static class TimeStampCounter
{
    private const uint InvariantTscBit = 1u << 8;

    /// <summary>Ticks per second; 0 until calibrated.</summary>
    public static ulong FrequencyHz { get; private set; }

    public static bool IsCalibrated => FrequencyHz != 0;

    public static ulong Read() => Cpu.ReadTimeStampCounter();

    /// <summary>CPUID 0x80000007 EDX bit 8: the TSC runs at a constant rate in all ACPI P-, C- and T-states.</summary>
    public static bool IsInvariant => Cpu.Cpuid(0x8000_0000).Eax >= 0x8000_0007 && (Cpu.Cpuid(0x8000_0007).Edx & InvariantTscBit) != 0;

    public static void SetFrequency(ulong hz) => FrequencyHz = hz;

    /// <summary>Converts a cycle count to microseconds (0 when not calibrated), without overflowing for any count.</summary>
    public static ulong ToMicroseconds(ulong cycles) => ToUnits(cycles, 1_000_000);

    public static ulong ToNanoseconds(ulong cycles) => ToUnits(cycles, 1_000_000_000);

    /// <summary>Cycles in <paramref name="microseconds"/> (0 when not calibrated).</summary>
    public static ulong FromMicroseconds(ulong microseconds)
        => (microseconds / 1_000_000 * FrequencyHz) + (microseconds % 1_000_000 * FrequencyHz / 1_000_000);

    /// <summary>Busy-waits at least <paramref name="microseconds"/>; panics if the TSC is not calibrated yet.</summary>
    public static void SpinWait(ulong microseconds)
    {
        if (!IsCalibrated)
            Diagnostics.Panic.Fail("TimeStampCounter.SpinWait before the TSC was calibrated");
        ulong start = Read();
        ulong cycles = FromMicroseconds(microseconds);
        while (Read() - start < cycles)
            Cpu.Pause();
    }

    private static ulong ToUnits(ulong cycles, ulong unitsPerSecond)
    {
        ulong hz = FrequencyHz;
        if (hz == 0)
            return 0;
        return (cycles / hz * unitsPerSecond) + (cycles % hz * unitsPerSecond / hz);
    }
}
