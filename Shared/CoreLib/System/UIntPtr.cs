// A pointer-sized unsigned integer (C# 'nuint').
namespace System;

public readonly unsafe struct UIntPtr : IEquatable<nuint>, IComparable<nuint>, ISpanFormattable
{
    private readonly void* _value;

    public static readonly nuint Zero;

    public UIntPtr(uint value) => _value = (void*)value;

    public UIntPtr(ulong value) => _value = (void*)value;

    public UIntPtr(void* value) => _value = value;

    public static int Size => 8;

    public static nuint MaxValue => unchecked((nuint)0xFFFFFFFFFFFFFFFF);

    public static nuint MinValue => 0;

    public void* ToPointer() => _value;

    public uint ToUInt32() => (uint)(ulong)_value;

    public ulong ToUInt64() => (ulong)_value;

    public static explicit operator UIntPtr(uint value) => new UIntPtr(value);

    public static explicit operator UIntPtr(ulong value) => new UIntPtr(value);

    public static explicit operator UIntPtr(void* value) => new UIntPtr(value);

    public static explicit operator void*(UIntPtr value) => value._value;

    public static explicit operator uint(UIntPtr value) => (uint)(ulong)value._value;

    public static explicit operator ulong(UIntPtr value) => (ulong)value._value;

    public static bool operator ==(UIntPtr value1, UIntPtr value2) => value1._value == value2._value;

    public static bool operator !=(UIntPtr value1, UIntPtr value2) => value1._value != value2._value;

    public bool Equals(nuint other) => (nuint)_value == other;

    public int CompareTo(nuint value) => (nuint)_value < value ? -1 : (nuint)_value > value ? 1 : 0;

    public override bool Equals(object obj) => obj is nuint other && (nuint)_value == other;

    public override int GetHashCode() => (int)(ulong)_value ^ (int)((ulong)_value >> 32);

    public override string ToString() => Number.UInt64ToString((ulong)_value);

    public string ToString(string format) => Number.FormatToString((ulong)_value, false, 64, format);

    public string ToString(string format, IFormatProvider provider) => ToString(format);

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider provider = null)
        => Number.TryFormatUnsigned((ulong)_value, false, 64, format, destination, out charsWritten);
}
