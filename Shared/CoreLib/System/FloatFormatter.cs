// Fixed-point formatting of floating-point numbers without allocation.
// Not a shortest-round-trip formatter: "F"n prints n decimals (rounded half
// up); no format prints up to 6 decimals with trailing zeros trimmed.
namespace System;

internal static class FloatFormatter
{
    public static string ToString(double value, ReadOnlySpan<char> format)
    {
        Span<char> buffer = stackalloc char[64];
        if (!TryFormat(value, format, buffer, out int written))
            return "<bad format>";
        return new string(buffer.Slice(0, written));
    }

    public static bool TryFormat(double value, ReadOnlySpan<char> format, Span<char> destination, out int written)
    {
        written = 0;
        int decimals = 6;
        bool trim = true;
        if (format.Length > 0)
        {
            if (format[0] != 'F' && format[0] != 'f')
                return false;
            trim = false;
            decimals = 0;
            for (int i = 1; i < format.Length; i++)
            {
                if (format[i] < '0' || format[i] > '9')
                    return false;
                decimals = (decimals * 10) + (format[i] - '0');
            }

            if (decimals > 15)
                decimals = 15;
            if (format.Length == 1)
                decimals = 2;
        }

        if (double.IsNaN(value))
            return Copy("NaN", destination, out written);

        int pos = 0;
        if (value < 0)
        {
            if (destination.Length < 1)
                return false;
            destination[pos++] = '-';
            value = -value;
        }

        if (value > 9.2e18)
        {
            // Beyond ulong range: only infinity is expected here in kernel use.
            if (!Copy(value == double.PositiveInfinity ? "Infinity" : "9.2e18+", destination.Slice(pos), out int tail))
                return false;
            written = pos + tail;
            return true;
        }

        ulong scale = 1;
        for (int i = 0; i < decimals; i++)
            scale *= 10;

        // Round once on the scaled value so that 0.999.. with 2 decimals becomes 1.00.
        double scaled = (value * scale) + 0.5;
        ulong whole = (ulong)scaled;
        ulong integerPart = whole / scale;
        ulong fraction = whole % scale;

        if (!Number.TryFormatDecimal(integerPart, 1, destination.Slice(pos), out int digits))
            return false;
        pos += digits;

        int fractionDigits = decimals;
        if (trim)
        {
            while (fractionDigits > 0 && fraction % 10 == 0)
            {
                fraction /= 10;
                fractionDigits--;
            }
        }

        if (fractionDigits > 0)
        {
            if (pos + 1 + fractionDigits > destination.Length)
                return false;
            destination[pos++] = '.';
            Number.TryFormatDecimal(fraction, fractionDigits, destination.Slice(pos), out digits);
            pos += digits;
        }

        written = pos;
        return true;
    }

    private static bool Copy(string text, Span<char> destination, out int written)
    {
        written = 0;
        if (text.Length > destination.Length)
            return false;
        text.AsSpan().CopyTo(destination);
        written = text.Length;
        return true;
    }
}
