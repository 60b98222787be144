// C# 'float'. Formatted through the double formatter.
namespace System;

public readonly struct Single : IComparable<float>, IEquatable<float>, ISpanFormattable
{
    private readonly float m_value;

    public const float MinValue = -3.40282346638528859e+38f;
    public const float MaxValue = 3.40282346638528859e+38f;
    public const float Epsilon = 1.4e-45f;
    public const float NegativeInfinity = -1.0f / 0.0f;
    public const float PositiveInfinity = 1.0f / 0.0f;
    public const float NaN = 0.0f / 0.0f;

#pragma warning disable CS1718 // NaN is the only value not equal to itself.
    public static bool IsNaN(float f) => f != f;
#pragma warning restore CS1718

    public int CompareTo(float value) => m_value < value ? -1 : m_value > value ? 1 : 0;

    public bool Equals(float obj) => m_value == obj || (IsNaN(m_value) && IsNaN(obj));

    public override bool Equals(object obj) => obj is float other && Equals(other);

    public override unsafe int GetHashCode()
    {
        float value = m_value;
        return *(int*)&value;
    }

    public override string ToString() => FloatFormatter.ToString(m_value, default);

    public string ToString(string format, IFormatProvider provider) => FloatFormatter.ToString(m_value, format);

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider provider = null)
        => FloatFormatter.TryFormat(m_value, format, destination, out charsWritten);
}
