// The 8-bit unsigned integer (C# 'byte').
namespace System;

public readonly struct Byte : IComparable<byte>, IEquatable<byte>, ISpanFormattable
{
    private readonly byte m_value;

    public const byte MaxValue = 255;
    public const byte MinValue = 0;

    public int CompareTo(byte value) => m_value < value ? -1 : m_value > value ? 1 : 0;

    public bool Equals(byte obj) => m_value == obj;

    public override bool Equals(object obj) => obj is byte other && m_value == other;

    public override int GetHashCode() => (int)m_value ^ (int)((long)m_value >> 32);

    public override string ToString() => Number.FormatToString((ulong)m_value, false, 8, default);

    public string ToString(string format) => Number.FormatToString((ulong)m_value, false, 8, format);

    public string ToString(string format, IFormatProvider provider) => ToString(format);

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider provider = null)
        => Number.TryFormatUnsigned((ulong)m_value, false, 8, format, destination, out charsWritten);
}
