// Bit tricks used by allocators, page-table code and drivers.
namespace System.Numerics;

public static class BitOperations
{
    public static bool IsPow2(ulong value) => value != 0 && (value & (value - 1)) == 0;

    public static bool IsPow2(uint value) => value != 0 && (value & (value - 1)) == 0;

    public static bool IsPow2(int value) => value > 0 && (value & (value - 1)) == 0;

    public static int LeadingZeroCount(ulong value)
    {
        if (value == 0)
            return 64;
        int count = 0;
        while ((value & 0x8000000000000000UL) == 0)
        {
            value <<= 1;
            count++;
        }

        return count;
    }

    public static int LeadingZeroCount(uint value) => value == 0 ? 32 : LeadingZeroCount((ulong)value) - 32;

    public static int TrailingZeroCount(ulong value)
    {
        if (value == 0)
            return 64;
        int count = 0;
        while ((value & 1) == 0)
        {
            value >>= 1;
            count++;
        }

        return count;
    }

    public static int TrailingZeroCount(uint value) => value == 0 ? 32 : TrailingZeroCount((ulong)value);

    public static int TrailingZeroCount(int value) => TrailingZeroCount((uint)value);

    public static int Log2(ulong value) => 63 - LeadingZeroCount(value | 1);

    public static int Log2(uint value) => 31 - LeadingZeroCount(value | 1);

    public static int PopCount(ulong value)
    {
        value -= (value >> 1) & 0x5555555555555555UL;
        value = (value & 0x3333333333333333UL) + ((value >> 2) & 0x3333333333333333UL);
        value = (value + (value >> 4)) & 0x0F0F0F0F0F0F0F0FUL;
        return (int)((value * 0x0101010101010101UL) >> 56);
    }

    public static int PopCount(uint value) => PopCount((ulong)value);

    public static ulong RoundUpToPowerOf2(ulong value)
    {
        if (value <= 1)
            return 1;
        return 1UL << (64 - LeadingZeroCount(value - 1));
    }

    public static uint RoundUpToPowerOf2(uint value) => (uint)RoundUpToPowerOf2((ulong)value);

    public static ulong RotateLeft(ulong value, int offset) => (value << offset) | (value >> (64 - offset));

    public static ulong RotateRight(ulong value, int offset) => (value >> offset) | (value << (64 - offset));

    public static uint RotateLeft(uint value, int offset) => (value << offset) | (value >> (32 - offset));
}
