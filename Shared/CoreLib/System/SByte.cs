// The 8-bit signed integer (C# 'sbyte').
namespace System;

public readonly struct SByte : IComparable<sbyte>, IEquatable<sbyte>, ISpanFormattable
{
    private readonly sbyte m_value;

    public const sbyte MaxValue = 127;
    public const sbyte MinValue = -128;

    public int CompareTo(sbyte value) => m_value < value ? -1 : m_value > value ? 1 : 0;

    public bool Equals(sbyte obj) => m_value == obj;

    public override bool Equals(object obj) => obj is sbyte other && m_value == other;

    public override int GetHashCode() => (int)m_value ^ (int)((long)m_value >> 32);

    public override string ToString() => Number.FormatToString(Number.Magnitude(m_value), m_value < 0, 8, default);

    public string ToString(string format) => Number.FormatToString(Number.Magnitude(m_value), m_value < 0, 8, format);

    public string ToString(string format, IFormatProvider provider) => ToString(format);

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider provider = null)
        => Number.TryFormatUnsigned(Number.Magnitude(m_value), m_value < 0, 8, format, destination, out charsWritten);
}
