// The 64-bit unsigned integer (C# 'ulong').
namespace System;

public readonly struct UInt64 : IComparable<ulong>, IEquatable<ulong>, ISpanFormattable
{
    private readonly ulong m_value;

    public const ulong MaxValue = 0xFFFFFFFFFFFFFFFF;
    public const ulong MinValue = 0;

    public int CompareTo(ulong value) => m_value < value ? -1 : m_value > value ? 1 : 0;

    public bool Equals(ulong obj) => m_value == obj;

    public override bool Equals(object obj) => obj is ulong other && m_value == other;

    public override int GetHashCode() => (int)m_value ^ (int)(m_value >> 32);

    public override string ToString() => Number.FormatToString((ulong)m_value, false, 64, default);

    public string ToString(string format) => Number.FormatToString((ulong)m_value, false, 64, format);

    public string ToString(string format, IFormatProvider provider) => ToString(format);

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider provider = null)
        => Number.TryFormatUnsigned((ulong)m_value, false, 64, format, destination, out charsWritten);
}
