// Throw sites inside the runtime library, kept out of line so the callers'
// fast paths stay small.
using System.Diagnostics.CodeAnalysis;

namespace System;

internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowIndexOutOfRange()
        => throw new IndexOutOfRangeException();

    [DoesNotReturn]
    public static void ThrowArgumentOutOfRange(string paramName)
        => throw new ArgumentOutOfRangeException(paramName);

    [DoesNotReturn]
    public static void ThrowArgumentNull(string paramName)
        => throw new ArgumentNullException(paramName);

    [DoesNotReturn]
    public static void ThrowArgument(string message)
        => throw new ArgumentException(message);

    [DoesNotReturn]
    public static void ThrowInvalidOperationException(string message)
        => throw new InvalidOperationException(message);

    [DoesNotReturn]
    public static void ThrowNotSupported(string message)
        => throw new NotSupportedException(message);

    [DoesNotReturn]
    public static void ThrowNullReference(string message)
        => throw new NullReferenceException(message);

    [DoesNotReturn]
    public static void ThrowInvalidCast()
        => throw new InvalidCastException();

    [DoesNotReturn]
    public static void ThrowArrayTypeMismatch()
        => throw new ArrayTypeMismatchException();
}
