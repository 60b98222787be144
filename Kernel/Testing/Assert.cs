// Assertions for kernel tests. A failed assertion throws an
// AssertionFailedException with the message and its source location: the
// test's `using` and `finally` blocks run, and the runner reports the test
// as failed and goes on with the next one.
using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Kernel.Testing;

public static class Assert
{
    public static void True([DoesNotReturnIf(false)] bool condition, string message = null, [CallerArgumentExpression(nameof(condition))] string expression = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (!condition)
            Fail(message ?? "expected true: " + expression, file, line);
    }

    public static void False([DoesNotReturnIf(true)] bool condition, string message = null, [CallerArgumentExpression(nameof(condition))] string expression = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (condition)
            Fail(message ?? "expected false: " + expression, file, line);
    }

    public static void Equal(long expected, long actual, [CallerArgumentExpression(nameof(actual))] string expression = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (expected != actual)
            Fail(expression + ": expected " + expected.ToString() + ", got " + actual.ToString(), file, line);
    }

    public static void Equal(ulong expected, ulong actual, [CallerArgumentExpression(nameof(actual))] string expression = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (expected != actual)
            Fail(expression + ": expected 0x" + expected.ToString("X") + ", got 0x" + actual.ToString("X"), file, line);
    }

    public static void Equal(string expected, string actual, [CallerArgumentExpression(nameof(actual))] string expression = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (expected != actual)
            Fail(expression + ": expected \"" + (expected ?? "(null)") + "\", got \"" + (actual ?? "(null)") + "\"", file, line);
    }

    public static void Equal(char expected, char actual, [CallerArgumentExpression(nameof(actual))] string expression = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (expected != actual)
            Fail(expression + ": expected '" + expected.ToString() + "', got '" + actual.ToString() + "'", file, line);
    }

    public static void Equal(bool expected, bool actual, [CallerArgumentExpression(nameof(actual))] string expression = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (expected != actual)
            Fail(expression + ": expected " + expected.ToString() + ", got " + actual.ToString(), file, line);
    }

    public static void Equal(double expected, double actual, double tolerance, [CallerArgumentExpression(nameof(actual))] string expression = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (Math.Abs(expected - actual) > tolerance)
            Fail(expression + ": expected " + expected.ToString() + " +/- " + tolerance.ToString() + ", got " + actual.ToString(), file, line);
    }

    public static void Same(object expected, object actual, [CallerArgumentExpression(nameof(actual))] string expression = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (!ReferenceEquals(expected, actual))
            Fail(expression + ": expected the same object", file, line);
    }

    public static void NotNull([NotNull] object value, [CallerArgumentExpression(nameof(value))] string expression = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (value is null)
            Fail(expression + ": expected a non-null value", file, line);
    }

    public static void Null(object value, [CallerArgumentExpression(nameof(value))] string expression = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (value is not null)
            Fail(expression + ": expected null", file, line);
    }

    [DoesNotReturn]
    public static void Fail(string message, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
        => throw new AssertionFailedException(message + " (" + ShortPath(file) + ":" + line.ToString() + ")");

    /// <summary>The path from the repository's top folder (Kernel/...), not the build machine's.</summary>
    internal static string ShortPath(string path)
    {
        if (path is null)
            return "";
        int kernel = FindLast(path, "/Kernel/");
        return kernel >= 0 ? path.Substring(kernel + 1) : path;
    }

    private static int FindLast(string text, string value)
    {
        for (int i = text.Length - value.Length; i >= 0; i--)
        {
            if (text.AsSpan(i, value.Length).SequenceEqual(value.AsSpan()))
                return i;
        }

        return -1;
    }
}
