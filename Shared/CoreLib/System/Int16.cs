// The 16-bit signed integer (C# 'short').
namespace System;

public readonly struct Int16 : IComparable<short>, IEquatable<short>, ISpanFormattable
{
    private readonly short m_value;

    public const short MaxValue = 32767;
    public const short MinValue = -32768;

    public int CompareTo(short value) => m_value < value ? -1 : m_value > value ? 1 : 0;

    public bool Equals(short obj) => m_value == obj;

    public override bool Equals(object obj) => obj is short other && m_value == other;

    public override int GetHashCode() => (int)m_value ^ (int)((long)m_value >> 32);

    public override string ToString() => Number.FormatToString(Number.Magnitude(m_value), m_value < 0, 16, default);

    public string ToString(string format) => Number.FormatToString(Number.Magnitude(m_value), m_value < 0, 16, format);

    public string ToString(string format, IFormatProvider provider) => ToString(format);

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider provider = null)
        => Number.TryFormatUnsigned(Number.Magnitude(m_value), m_value < 0, 16, format, destination, out charsWritten);
}
