// A pointer-sized signed integer (C# 'nint').
using System.Runtime.CompilerServices;

namespace System;

public readonly unsafe struct IntPtr : IEquatable<nint>, IComparable<nint>, ISpanFormattable
{
    private readonly void* _value;

    public static readonly nint Zero;

    public IntPtr(int value) => _value = (void*)value;

    public IntPtr(long value) => _value = (void*)value;

    public IntPtr(void* value) => _value = value;

    public static int Size => 8;

    public static nint MaxValue => unchecked((nint)0x7FFFFFFFFFFFFFFF);

    public static nint MinValue => unchecked((nint)0x8000000000000000);

    public void* ToPointer() => _value;

    public int ToInt32() => (int)(long)_value;

    public long ToInt64() => (long)_value;

    public static explicit operator IntPtr(int value) => new IntPtr(value);

    public static explicit operator IntPtr(long value) => new IntPtr(value);

    public static explicit operator IntPtr(void* value) => new IntPtr(value);

    public static explicit operator void*(IntPtr value) => value._value;

    public static explicit operator int(IntPtr value) => (int)(long)value._value;

    public static explicit operator long(IntPtr value) => (long)value._value;

    public static bool operator ==(IntPtr value1, IntPtr value2) => value1._value == value2._value;

    public static bool operator !=(IntPtr value1, IntPtr value2) => value1._value != value2._value;

    public bool Equals(nint other) => (nint)_value == other;

    public int CompareTo(nint value) => (nint)_value < value ? -1 : (nint)_value > value ? 1 : 0;

    public override bool Equals(object obj) => obj is nint other && (nint)_value == other;

    public override int GetHashCode() => (int)(long)_value ^ (int)((long)_value >> 32);

    public override string ToString() => Number.Int64ToString((long)_value);

    public string ToString(string format) => Number.FormatToString(Number.Magnitude((long)_value), (long)_value < 0, 64, format);

    public string ToString(string format, IFormatProvider provider) => ToString(format);

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider provider = null)
        => Number.TryFormatUnsigned(Number.Magnitude((long)_value), (long)_value < 0, 64, format, destination, out charsWritten);
}
