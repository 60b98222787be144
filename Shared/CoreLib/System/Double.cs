// C# 'double'. Formatting is fixed-point ("F" / "Fn", default 6 significant
// decimals trimmed): enough for timings and ratios printed by the kernel.
namespace System;

public readonly struct Double : IComparable<double>, IEquatable<double>, ISpanFormattable
{
    private readonly double m_value;

    public const double MinValue = -1.7976931348623157E+308;
    public const double MaxValue = 1.7976931348623157E+308;
    public const double Epsilon = 4.9406564584124654E-324;
    public const double NegativeInfinity = -1.0 / 0.0;
    public const double PositiveInfinity = 1.0 / 0.0;
    public const double NaN = 0.0 / 0.0;

#pragma warning disable CS1718 // NaN is the only value not equal to itself.
    public static bool IsNaN(double d) => d != d;
#pragma warning restore CS1718

    public static bool IsInfinity(double d) => d == PositiveInfinity || d == NegativeInfinity;

    public static bool IsFinite(double d) => !IsNaN(d) && !IsInfinity(d);

    public int CompareTo(double value) => m_value < value ? -1 : m_value > value ? 1 : m_value == value ? 0 : IsNaN(m_value) ? (IsNaN(value) ? 0 : -1) : 1;

    public bool Equals(double obj) => m_value == obj || (IsNaN(m_value) && IsNaN(obj));

    public override bool Equals(object obj) => obj is double other && Equals(other);

    public override unsafe int GetHashCode()
    {
        double value = m_value;
        long bits = *(long*)&value;
        return (int)bits ^ (int)(bits >> 32);
    }

    public override string ToString() => FloatFormatter.ToString(m_value, default);

    public string ToString(string format) => FloatFormatter.ToString(m_value, format);

    public string ToString(string format, IFormatProvider provider) => ToString(format);

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider provider = null)
        => FloatFormatter.TryFormat(m_value, format, destination, out charsWritten);
}
