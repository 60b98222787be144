// The local APIC timer's input divider: the timer counts down at the bus (or
// core crystal) clock divided by this. Values are the register encodings
// (bits 0, 1 and 3 of the divide configuration register).
namespace Kernel.Interrupts.Apic;

public enum TimerDivide : uint
{
    By2 = 0b0000,
    By4 = 0b0001,
    By8 = 0b0010,
    By16 = 0b0011,
    By32 = 0b1000,
    By64 = 0b1001,
    By128 = 0b1010,
    By1 = 0b1011,
}

public static class TimerDivideExtensions
{
    public static uint Divisor(this TimerDivide divide) => divide == TimerDivide.By1 ? 1u : 2u << (int)(((uint)divide & 0b11) | (((uint)divide >> 1) & 0b100));
}
