// The 16-bit unsigned integer (C# 'ushort').
namespace System;

public readonly struct UInt16 : IComparable<ushort>, IEquatable<ushort>, ISpanFormattable
{
    private readonly ushort m_value;

    public const ushort MaxValue = 65535;
    public const ushort MinValue = 0;

    public int CompareTo(ushort value) => m_value < value ? -1 : m_value > value ? 1 : 0;

    public bool Equals(ushort obj) => m_value == obj;

    public override bool Equals(object obj) => obj is ushort other && m_value == other;

    public override int GetHashCode() => (int)m_value ^ (int)((long)m_value >> 32);

    public override string ToString() => Number.FormatToString((ulong)m_value, false, 16, default);

    public string ToString(string format) => Number.FormatToString((ulong)m_value, false, 16, format);

    public string ToString(string format, IFormatProvider provider) => ToString(format);

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider provider = null)
        => Number.TryFormatUnsigned((ulong)m_value, false, 16, format, destination, out charsWritten);
}
