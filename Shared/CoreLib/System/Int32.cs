// The 32-bit signed integer (C# 'int').
namespace System;

public readonly struct Int32 : IComparable<int>, IEquatable<int>, ISpanFormattable
{
    private readonly int m_value;

    public const int MaxValue = 0x7FFFFFFF;
    public const int MinValue = unchecked((int)0x80000000);

    public int CompareTo(int value) => m_value < value ? -1 : m_value > value ? 1 : 0;

    public bool Equals(int obj) => m_value == obj;

    public override bool Equals(object obj) => obj is int other && m_value == other;

    public override int GetHashCode() => m_value;

    public override string ToString() => Number.FormatToString(Number.Magnitude(m_value), m_value < 0, 32, default);

    public string ToString(string format) => Number.FormatToString(Number.Magnitude(m_value), m_value < 0, 32, format);

    public string ToString(string format, IFormatProvider provider) => ToString(format);

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider provider = null)
        => Number.TryFormatUnsigned(Number.Magnitude(m_value), m_value < 0, 32, format, destination, out charsWritten);
}
