// Helpers the compiler calls (array initializers, span creation) and a few
// queries generic code uses.
using Internal.Runtime;

namespace System.Runtime.CompilerServices;

public static unsafe class RuntimeHelpers
{
    [Intrinsic]
    public static extern void InitializeArray(Array array, RuntimeFieldHandle fldHandle);

    [Intrinsic]
    public static extern ReadOnlySpan<T> CreateSpan<T>(RuntimeFieldHandle fldHandle);

    [Intrinsic]
    public static bool IsReferenceOrContainsReferences<T>() => false;

    public static int OffsetToStringData => 12;

    public static int GetHashCode(object o) => o is null ? 0 : o.GetHashCodeByAddress();

    public static new bool Equals(object o1, object o2) => ReferenceEquals(o1, o2);

    public static void EnsureSufficientExecutionStack()
    {
    }
}
