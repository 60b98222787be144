// Span helpers that C# code reaches as extension methods (text.AsSpan(),
// span.IndexOf(x), span.SequenceEqual(other), ...), with the BCL's names so
// that Shared/ code compiles unchanged against either runtime library.
using System.Runtime.CompilerServices;

namespace System;

public static class MemoryExtensions
{
    public static ReadOnlySpan<char> AsSpan(this string text)
        => text == null ? default : new ReadOnlySpan<char>(ref text.GetRawStringData(), text.Length);

    public static ReadOnlySpan<char> AsSpan(this string text, int start) => text.AsSpan().Slice(start);

    public static ReadOnlySpan<char> AsSpan(this string text, int start, int length) => text.AsSpan().Slice(start, length);

    public static Span<T> AsSpan<T>(this T[] array) => new Span<T>(array);

    public static Span<T> AsSpan<T>(this T[] array, int start) => new Span<T>(array).Slice(start);

    public static Span<T> AsSpan<T>(this T[] array, int start, int length) => new Span<T>(array, start, length);

    public static void CopyTo<T>(this T[] source, Span<T> destination) => new ReadOnlySpan<T>(source).CopyTo(destination);

    public static bool SequenceEqual<T>(this ReadOnlySpan<T> span, ReadOnlySpan<T> other)
        where T : IEquatable<T>
    {
        if (span.Length != other.Length)
            return false;
        for (int i = 0; i < span.Length; i++)
        {
            if (!span[i].Equals(other[i]))
                return false;
        }

        return true;
    }

    public static bool SequenceEqual<T>(this Span<T> span, ReadOnlySpan<T> other)
        where T : IEquatable<T>
        => ((ReadOnlySpan<T>)span).SequenceEqual(other);

    public static int IndexOf<T>(this ReadOnlySpan<T> span, T value)
        where T : IEquatable<T>
    {
        for (int i = 0; i < span.Length; i++)
        {
            if (span[i].Equals(value))
                return i;
        }

        return -1;
    }

    public static int IndexOf<T>(this Span<T> span, T value)
        where T : IEquatable<T>
        => ((ReadOnlySpan<T>)span).IndexOf(value);

    public static int IndexOf<T>(this ReadOnlySpan<T> span, ReadOnlySpan<T> value)
        where T : IEquatable<T>
    {
        if (value.Length == 0)
            return 0;
        for (int i = 0; i + value.Length <= span.Length; i++)
        {
            if (span.Slice(i, value.Length).SequenceEqual(value))
                return i;
        }

        return -1;
    }

    public static int LastIndexOf<T>(this ReadOnlySpan<T> span, T value)
        where T : IEquatable<T>
    {
        for (int i = span.Length - 1; i >= 0; i--)
        {
            if (span[i].Equals(value))
                return i;
        }

        return -1;
    }

    public static int IndexOfAny<T>(this ReadOnlySpan<T> span, T value0, T value1)
        where T : IEquatable<T>
    {
        for (int i = 0; i < span.Length; i++)
        {
            if (span[i].Equals(value0) || span[i].Equals(value1))
                return i;
        }

        return -1;
    }

    public static bool Contains<T>(this ReadOnlySpan<T> span, T value)
        where T : IEquatable<T>
        => span.IndexOf(value) >= 0;

    public static bool Contains<T>(this Span<T> span, T value)
        where T : IEquatable<T>
        => ((ReadOnlySpan<T>)span).IndexOf(value) >= 0;

    public static bool StartsWith<T>(this ReadOnlySpan<T> span, ReadOnlySpan<T> value)
        where T : IEquatable<T>
        => value.Length <= span.Length && span.Slice(0, value.Length).SequenceEqual(value);

    public static bool EndsWith<T>(this ReadOnlySpan<T> span, ReadOnlySpan<T> value)
        where T : IEquatable<T>
        => value.Length <= span.Length && span.Slice(span.Length - value.Length).SequenceEqual(value);

    public static ReadOnlySpan<char> Trim(this ReadOnlySpan<char> span) => span.TrimStart().TrimEnd();

    public static ReadOnlySpan<char> TrimStart(this ReadOnlySpan<char> span)
    {
        int start = 0;
        while (start < span.Length && char.IsWhiteSpace(span[start]))
            start++;
        return span.Slice(start);
    }

    public static ReadOnlySpan<char> TrimEnd(this ReadOnlySpan<char> span)
    {
        int end = span.Length;
        while (end > 0 && char.IsWhiteSpace(span[end - 1]))
            end--;
        return span.Slice(0, end);
    }

    public static bool Equals(this ReadOnlySpan<char> span, ReadOnlySpan<char> other, StringComparison comparisonType)
    {
        if (span.Length != other.Length)
            return false;
        bool ignoreCase = comparisonType == StringComparison.OrdinalIgnoreCase;
        for (int i = 0; i < span.Length; i++)
        {
            char a = span[i];
            char b = other[i];
            if (ignoreCase)
            {
                a = char.ToLowerInvariant(a);
                b = char.ToLowerInvariant(b);
            }

            if (a != b)
                return false;
        }

        return true;
    }

    public static void Reverse<T>(this Span<T> span)
    {
        int i = 0;
        int j = span.Length - 1;
        while (i < j)
        {
            T temp = span[i];
            span[i] = span[j];
            span[j] = temp;
            i++;
            j--;
        }
    }

    // Insertion sort: stable, allocation-free, and the spans sorted in the kernel are small.
    public static void Sort<T>(this Span<T> span)
        where T : IComparable<T>
    {
        for (int i = 1; i < span.Length; i++)
        {
            T item = span[i];
            int j = i - 1;
            while (j >= 0 && span[j].CompareTo(item) > 0)
            {
                span[j + 1] = span[j];
                j--;
            }

            span[j + 1] = item;
        }
    }
}

public enum StringComparison
{
    CurrentCulture = 0,
    CurrentCultureIgnoreCase = 1,
    InvariantCulture = 2,
    InvariantCultureIgnoreCase = 3,
    Ordinal = 4,
    OrdinalIgnoreCase = 5,
}
