// Allocation-free integer formatting shared by every primitive's TryFormat and
// ToString. Supports the format strings the kernel uses: "" / "D" / "Dn"
// (decimal, at least n digits) and "X" / "x" / "Xn" / "xn" (hexadecimal).
namespace System;

internal static class Number
{
    private const string LowerHexDigits = "0123456789abcdef";
    private const string UpperHexDigits = "0123456789ABCDEF";

    /// <summary>Formats an unsigned value whose bit width is <paramref name="bits"/> (for hex of negative numbers).</summary>
    public static bool TryFormatUnsigned(ulong value, bool negative, int bits, ReadOnlySpan<char> format, Span<char> destination, out int written)
    {
        written = 0;
        if (!TryParseFormat(format, out char kind, out int minDigits))
            return false;

        if (kind == 'X' || kind == 'x')
        {
            if (negative)
            {
                // Two's complement of the original width, as .NET prints it.
                value = bits == 64 ? (ulong)(-(long)value) : ((ulong)(-(long)value)) & ((1UL << bits) - 1);
            }

            return TryFormatHex(value, minDigits, kind == 'X', destination, out written);
        }

        int pos = 0;
        if (negative)
        {
            if (destination.Length < 1)
                return false;
            destination[0] = '-';
            pos = 1;
        }

        if (!TryFormatDecimal(value, minDigits, destination.Slice(pos), out int digits))
            return false;
        written = pos + digits;
        return true;
    }

    public static bool TryFormatDecimal(ulong value, int minDigits, Span<char> destination, out int written)
    {
        int digits = CountDecimalDigits(value);
        if (digits < minDigits)
            digits = minDigits;
        written = 0;
        if (digits > destination.Length)
            return false;

        for (int i = digits - 1; i >= 0; i--)
        {
            destination[i] = (char)('0' + (int)(value % 10));
            value /= 10;
        }

        written = digits;
        return true;
    }

    public static bool TryFormatHex(ulong value, int minDigits, bool upperCase, Span<char> destination, out int written)
    {
        int digits = CountHexDigits(value);
        if (digits < minDigits)
            digits = minDigits;
        written = 0;
        if (digits > destination.Length)
            return false;

        string table = upperCase ? UpperHexDigits : LowerHexDigits;
        for (int i = digits - 1; i >= 0; i--)
        {
            destination[i] = table[(int)(value & 0xF)];
            value >>= 4;
        }

        written = digits;
        return true;
    }

    public static int CountDecimalDigits(ulong value)
    {
        int digits = 1;
        while (value >= 10)
        {
            value /= 10;
            digits++;
        }

        return digits;
    }

    public static int CountHexDigits(ulong value)
    {
        int digits = 1;
        while (value >= 16)
        {
            value >>= 4;
            digits++;
        }

        return digits;
    }

    public static string FormatToString(ulong value, bool negative, int bits, ReadOnlySpan<char> format)
    {
        Span<char> buffer = stackalloc char[80];
        if (!TryFormatUnsigned(value, negative, bits, format, buffer, out int written))
            return "<bad format>";
        return new string(buffer.Slice(0, written));
    }

    public static string Int64ToString(long value) => FormatToString(Magnitude(value), value < 0, 64, default);

    public static string UInt64ToString(ulong value) => FormatToString(value, false, 64, default);

    public static ulong Magnitude(long value) => value < 0 ? (ulong)(-(value + 1)) + 1 : (ulong)value;

    private static bool TryParseFormat(ReadOnlySpan<char> format, out char kind, out int minDigits)
    {
        kind = 'D';
        minDigits = 0;
        if (format.Length == 0)
            return true;

        char c = format[0];
        if (c == 'd' || c == 'D' || c == 'G' || c == 'g' || c == 'N' || c == 'n')
            kind = 'D';
        else if (c == 'x' || c == 'X')
            kind = c;
        else
            return false;

        for (int i = 1; i < format.Length; i++)
        {
            char digit = format[i];
            if (digit < '0' || digit > '9')
                return false;
            minDigits = (minDigits * 10) + (digit - '0');
            if (minDigits > 64)
                return false;
        }

        return true;
    }
}
