// The throw helpers ILCompiler's generated code calls for checks it inlines:
// array bounds, overflow, division by zero, null... Each ends in a runtime
// failure that names the exception, since nothing can catch it.
using System;
using System.Runtime.CompilerServices;

namespace Internal.Runtime.CompilerHelpers;

internal static class ThrowHelpers
{
    public static void ThrowOverflowException() => RuntimeFailure.Fail("System.OverflowException", "Arithmetic operation resulted in an overflow.");

    public static void ThrowIndexOutOfRangeException() => RuntimeFailure.Fail("System.IndexOutOfRangeException", "Index was outside the bounds of the array.");

    public static void ThrowNullReferenceException() => RuntimeFailure.Fail("System.NullReferenceException", "Object reference not set to an instance of an object.");

    public static void ThrowDivideByZeroException() => RuntimeFailure.Fail("System.DivideByZeroException", "Attempted to divide by zero.");

    public static void ThrowArrayTypeMismatchException() => RuntimeFailure.Fail("System.ArrayTypeMismatchException", "Attempted to access an element as a type incompatible with the array.");

    public static void ThrowPlatformNotSupportedException() => RuntimeFailure.Fail("System.PlatformNotSupportedException", "Operation is not supported on this platform.");

    public static void ThrowNotImplementedException() => RuntimeFailure.Fail("System.NotImplementedException", "The method or operation is not implemented.");

    public static void ThrowArgumentException() => RuntimeFailure.Fail("System.ArgumentException", "Value does not fall within the expected range.");

    public static void ThrowArgumentOutOfRangeException() => RuntimeFailure.Fail("System.ArgumentOutOfRangeException", "Specified argument was out of the range of valid values.");

    public static void ThrowInvalidCastException() => RuntimeFailure.Fail("System.InvalidCastException", "Specified cast is not valid.");

    public static void ThrowTypeLoadException(int id, string className, string typeName)
        => RuntimeFailure.Fail("System.TypeLoadException", "Failure has occurred while loading a type.", typeName);

    public static void ThrowTypeLoadExceptionWithArgument(int id, string className, string typeName, string messageArg)
        => RuntimeFailure.Fail("System.TypeLoadException", "Failure has occurred while loading a type.", typeName);

    public static void ThrowMissingMethodException(int id, string methodName)
        => RuntimeFailure.Fail("System.MissingMethodException", "Method not found.", methodName);

    public static void ThrowMissingFieldException(int id, string fieldName)
        => RuntimeFailure.Fail("System.MissingFieldException", "Field not found.", fieldName);

    public static void ThrowFileNotFoundException(int id, string fileName)
        => RuntimeFailure.Fail("System.IO.FileNotFoundException", "File not found.", fileName);

    public static void ThrowInvalidProgramException(int id)
        => RuntimeFailure.Fail("System.InvalidProgramException", "Common Language Runtime detected an invalid program.");

    public static void ThrowInvalidProgramExceptionWithArgument(int id, string methodName)
        => RuntimeFailure.Fail("System.InvalidProgramException", "Common Language Runtime detected an invalid program.", methodName);

    public static void ThrowBadImageFormatException(int id)
        => RuntimeFailure.Fail("System.BadImageFormatException", "Bad image format.");

    public static void ThrowMarshalDirectiveException(int id)
        => RuntimeFailure.Fail("System.Runtime.InteropServices.MarshalDirectiveException", "Marshalling directive is not supported.");

    public static void ThrowAmbiguousMatchException(int id)
        => RuntimeFailure.Fail("System.Reflection.AmbiguousMatchException", "Ambiguous match found.");

    public static void ThrowNotSupportedException(int id)
        => RuntimeFailure.Fail("System.NotSupportedException", "Specified method is not supported.");

    public static void ThrowUnavailableType() => RuntimeFailure.Fail("System.TypeLoadException", "A type was removed by the compiler but is needed.");

    public static void ThrowFeatureBodyRemoved() => RuntimeFailure.Fail("System.NotSupportedException", "This code was removed by the compiler.");
}

// ldtoken support for typeof(T) and field/method handles.
internal static unsafe class LdTokenHelpers
{
    private static RuntimeTypeHandle GetRuntimeTypeHandle(System.IntPtr type) => new RuntimeTypeHandle((MethodTable*)type);

    private static System.Type GetRuntimeType(System.IntPtr type) => System.Type.GetTypeFromHandle(new RuntimeTypeHandle((MethodTable*)type));

    private static RuntimeMethodHandle GetRuntimeMethodHandle(System.IntPtr handle) => default;

    private static RuntimeFieldHandle GetRuntimeFieldHandle(System.IntPtr handle) => default;
}
