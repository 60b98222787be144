// The throw helpers ILCompiler's generated code calls for checks it inlines:
// array bounds, overflow, division by zero, null, casts... Each throws the
// exception .NET throws there. The ones for what this runtime cannot do
// (missing metadata, removed code) still end in a runtime failure.
using System;
using System.Runtime.CompilerServices;

namespace Internal.Runtime.CompilerHelpers;

internal static class ThrowHelpers
{
    public static void ThrowOverflowException() => throw new OverflowException();

    public static void ThrowIndexOutOfRangeException() => throw new IndexOutOfRangeException();

    public static void ThrowNullReferenceException() => throw new NullReferenceException();

    public static void ThrowDivideByZeroException() => throw new DivideByZeroException();

    public static void ThrowArrayTypeMismatchException() => throw new ArrayTypeMismatchException();

    public static void ThrowPlatformNotSupportedException() => throw new PlatformNotSupportedException();

    public static void ThrowNotImplementedException() => throw new NotImplementedException();

    public static void ThrowArgumentException() => throw new ArgumentException("Value does not fall within the expected range.");

    public static void ThrowArgumentOutOfRangeException() => throw new ArgumentOutOfRangeException();

    public static void ThrowInvalidCastException() => throw new InvalidCastException();

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
