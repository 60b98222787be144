// Integer and floating-point helpers, plus the checked conversions the
// compiler calls for 'checked' code on doubles.
using System.Runtime.CompilerServices;

namespace System;

public static class Math
{
    public const double PI = 3.14159265358979323846;
    public const double E = 2.7182818284590452354;

    public static int Min(int a, int b) => a < b ? a : b;
    public static uint Min(uint a, uint b) => a < b ? a : b;
    public static long Min(long a, long b) => a < b ? a : b;
    public static ulong Min(ulong a, ulong b) => a < b ? a : b;
    public static nint Min(nint a, nint b) => a < b ? a : b;
    public static nuint Min(nuint a, nuint b) => a < b ? a : b;
    public static double Min(double a, double b) => a < b ? a : b;
    public static int Max(int a, int b) => a > b ? a : b;
    public static uint Max(uint a, uint b) => a > b ? a : b;
    public static long Max(long a, long b) => a > b ? a : b;
    public static ulong Max(ulong a, ulong b) => a > b ? a : b;
    public static nint Max(nint a, nint b) => a > b ? a : b;
    public static nuint Max(nuint a, nuint b) => a > b ? a : b;
    public static double Max(double a, double b) => a > b ? a : b;

    public static int Abs(int value)
    {
        if (value == int.MinValue)
            ThrowHelper.ThrowArgument("Negating the minimum value of a twos complement number is invalid.");
        return value < 0 ? -value : value;
    }

    public static long Abs(long value)
    {
        if (value == long.MinValue)
            ThrowHelper.ThrowArgument("Negating the minimum value of a twos complement number is invalid.");
        return value < 0 ? -value : value;
    }

    public static double Abs(double value) => value < 0 ? -value : value;

    public static int Clamp(int value, int min, int max) => value < min ? min : value > max ? max : value;
    public static uint Clamp(uint value, uint min, uint max) => value < min ? min : value > max ? max : value;
    public static long Clamp(long value, long min, long max) => value < min ? min : value > max ? max : value;
    public static ulong Clamp(ulong value, ulong min, ulong max) => value < min ? min : value > max ? max : value;
    public static double Clamp(double value, double min, double max) => value < min ? min : value > max ? max : value;

    public static int Sign(int value) => value < 0 ? -1 : value > 0 ? 1 : 0;
    public static int Sign(long value) => value < 0 ? -1 : value > 0 ? 1 : 0;

    public static int DivRem(int a, int b, out int result)
    {
        int quotient = a / b;
        result = a - (quotient * b);
        return quotient;
    }

    public static (ulong Quotient, ulong Remainder) DivRem(ulong left, ulong right)
    {
        ulong quotient = left / right;
        return (quotient, left - (quotient * right));
    }

    public static long BigMul(int a, int b) => (long)a * b;

    // Newton's method; the kernel needs square roots only for statistics.
    public static double Sqrt(double value)
    {
        if (value <= 0)
            return value == 0 ? 0 : double.NaN;
        double x = value > 1 ? value / 2 : 1;
        for (int i = 0; i < 64; i++)
        {
            double next = 0.5 * (x + (value / x));
            if (next == x)
                break;
            x = next;
        }

        return x;
    }

    public static double Floor(double value)
    {
        if (double.IsNaN(value) || value >= 9.2e18 || value <= -9.2e18)
            return value;
        long truncated = (long)value;
        return truncated > value ? truncated - 1 : truncated;
    }

    public static double Ceiling(double value) => -Floor(-value);

    public static double Round(double value) => Floor(value + 0.5);

    // Checked conversions called by compiled code ('checked((int)someDouble)').
    internal static int ConvertToInt32Checked(double value)
    {
        if (double.IsNaN(value) || value <= -2147483649.0 || value >= 2147483648.0)
            ThrowOverflow();
        return (int)value;
    }

    internal static uint ConvertToUInt32Checked(double value)
    {
        if (double.IsNaN(value) || value <= -1.0 || value >= 4294967296.0)
            ThrowOverflow();
        return (uint)value;
    }

    internal static long ConvertToInt64Checked(double value)
    {
        if (double.IsNaN(value) || value < -9223372036854775808.0 || value >= 9223372036854775808.0)
            ThrowOverflow();
        return (long)value;
    }

    internal static ulong ConvertToUInt64Checked(double value)
    {
        if (double.IsNaN(value) || value <= -1.0 || value >= 18446744073709551616.0)
            ThrowOverflow();
        return (ulong)value;
    }

    internal static int MultiplyChecked(int left, int right) => checked(left * right);

    private static void ThrowOverflow() => throw new OverflowException();
}
