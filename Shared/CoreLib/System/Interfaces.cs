// The small interfaces that primitives and user types implement.
namespace System;

public interface IEquatable<T>
{
    bool Equals(T other);
}

public interface IComparable<in T>
{
    int CompareTo(T other);
}

public interface IComparable
{
    int CompareTo(object obj);
}

public interface IDisposable
{
    void Dispose();
}

public interface IFormatProvider
{
    object GetFormat(Type formatType);
}

public interface IFormattable
{
    string ToString(string format, IFormatProvider formatProvider);
}

public interface ISpanFormattable : IFormattable
{
    bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider provider);
}
