// Throw sites inside the runtime library. They do not build exception
// objects: each goes straight to the runtime's failure path with the type
// name and message, so a failure cannot itself run out of memory.
using System.Diagnostics.CodeAnalysis;
using Internal.Runtime;

namespace System;

internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowIndexOutOfRange()
        => RuntimeFailure.Fail("System.IndexOutOfRangeException", "Index was outside the bounds of the array.");

    [DoesNotReturn]
    public static void ThrowArgumentOutOfRange(string paramName)
        => RuntimeFailure.Fail("System.ArgumentOutOfRangeException", "Specified argument was out of the range of valid values.", paramName);

    [DoesNotReturn]
    public static void ThrowArgumentNull(string paramName)
        => RuntimeFailure.Fail("System.ArgumentNullException", "Value cannot be null.", paramName);

    [DoesNotReturn]
    public static void ThrowArgument(string message)
        => RuntimeFailure.Fail("System.ArgumentException", message);

    [DoesNotReturn]
    public static void ThrowInvalidOperationException(string message)
        => RuntimeFailure.Fail("System.InvalidOperationException", message);

    [DoesNotReturn]
    public static void ThrowNotSupported(string message)
        => RuntimeFailure.Fail("System.NotSupportedException", message);

    [DoesNotReturn]
    public static void ThrowNullReference(string message)
        => RuntimeFailure.Fail("System.NullReferenceException", message);

    [DoesNotReturn]
    public static void ThrowInvalidCast()
        => RuntimeFailure.Fail("System.InvalidCastException", "Specified cast is not valid.");

    [DoesNotReturn]
    public static void ThrowArrayTypeMismatch()
        => RuntimeFailure.Fail("System.ArrayTypeMismatchException", "Attempted to access an element as a type incompatible with the array.");
}
