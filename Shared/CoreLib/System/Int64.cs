// The 64-bit signed integer (C# 'long').
namespace System;

public readonly struct Int64 : IComparable<long>, IEquatable<long>, ISpanFormattable
{
    private readonly long m_value;

    public const long MaxValue = 0x7FFFFFFFFFFFFFFF;
    public const long MinValue = unchecked((long)0x8000000000000000);

    public int CompareTo(long value) => m_value < value ? -1 : m_value > value ? 1 : 0;

    public bool Equals(long obj) => m_value == obj;

    public override bool Equals(object obj) => obj is long other && m_value == other;

    public override int GetHashCode() => (int)m_value ^ (int)((long)m_value >> 32);

    public override string ToString() => Number.FormatToString(Number.Magnitude(m_value), m_value < 0, 64, default);

    public string ToString(string format) => Number.FormatToString(Number.Magnitude(m_value), m_value < 0, 64, format);

    public string ToString(string format, IFormatProvider provider) => ToString(format);

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider provider = null)
        => Number.TryFormatUnsigned(Number.Magnitude(m_value), m_value < 0, 64, format, destination, out charsWritten);
}
