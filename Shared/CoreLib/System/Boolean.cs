// C# 'bool'.
namespace System;

public readonly struct Boolean : IComparable<bool>, IEquatable<bool>, ISpanFormattable
{
    private readonly bool m_value;

    public static readonly string TrueString = "True";
    public static readonly string FalseString = "False";

    public int CompareTo(bool value) => m_value == value ? 0 : m_value ? 1 : -1;

    public bool Equals(bool obj) => m_value == obj;

    public override bool Equals(object obj) => obj is bool other && m_value == other;

    public override int GetHashCode() => m_value ? 1 : 0;

    public override string ToString() => m_value ? "True" : "False";

    public string ToString(string format, IFormatProvider provider) => ToString();

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider provider = null)
    {
        string text = m_value ? "True" : "False";
        charsWritten = 0;
        if (text.Length > destination.Length)
            return false;
        text.AsSpan().CopyTo(destination);
        charsWritten = text.Length;
        return true;
    }
}
