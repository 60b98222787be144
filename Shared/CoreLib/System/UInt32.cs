// The 32-bit unsigned integer (C# 'uint').
namespace System;

public readonly struct UInt32 : IComparable<uint>, IEquatable<uint>, ISpanFormattable
{
    private readonly uint m_value;

    public const uint MaxValue = 0xFFFFFFFF;
    public const uint MinValue = 0;

    public int CompareTo(uint value) => m_value < value ? -1 : m_value > value ? 1 : 0;

    public bool Equals(uint obj) => m_value == obj;

    public override bool Equals(object obj) => obj is uint other && m_value == other;

    public override int GetHashCode() => (int)m_value ^ (int)((long)m_value >> 32);

    public override string ToString() => Number.FormatToString((ulong)m_value, false, 32, default);

    public string ToString(string format) => Number.FormatToString((ulong)m_value, false, 32, format);

    public string ToString(string format, IFormatProvider provider) => ToString(format);

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider provider = null)
        => Number.TryFormatUnsigned((ulong)m_value, false, 32, format, destination, out charsWritten);
}
