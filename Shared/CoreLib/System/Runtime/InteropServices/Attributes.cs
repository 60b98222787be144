// Interop attributes: struct layout for hardware and firmware structures,
// and the binding attributes for machine-code helpers and exported entries.
namespace System.Runtime.InteropServices;

[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
public sealed class StructLayoutAttribute : Attribute
{
    public int Pack;
    public int Size;
    public CharSet CharSet;

    public StructLayoutAttribute(LayoutKind layoutKind) => Value = layoutKind;

    public LayoutKind Value { get; }
}

public enum LayoutKind
{
    Sequential = 0,
    Explicit = 2,
    Auto = 3,
}

public enum CharSet
{
    None = 1,
    Ansi = 2,
    Unicode = 3,
    Auto = 4,
}

[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class FieldOffsetAttribute : Attribute
{
    public FieldOffsetAttribute(int offset) => Value = offset;

    public int Value { get; }
}

/// <summary>With the library name "*", binds to a symbol resolved when the image is linked (a direct call).</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class DllImportAttribute : Attribute
{
    public string EntryPoint;
    public CharSet CharSet;
    public bool SetLastError;
    public bool ExactSpelling;
    public CallingConvention CallingConvention;

    public DllImportAttribute(string dllName) => Value = dllName;

    public string Value { get; }
}

public enum CallingConvention
{
    Winapi = 1,
    Cdecl = 2,
    StdCall = 3,
    ThisCall = 4,
    FastCall = 5,
}

/// <summary>Marks a method that native code (firmware, interrupt stubs, the loader) calls directly.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class UnmanagedCallersOnlyAttribute : Attribute
{
    public Type[] CallConvs;
    public string EntryPoint;
}

[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class SuppressGCTransitionAttribute : Attribute
{
}

[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class InAttribute : Attribute
{
}

[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class OutAttribute : Attribute
{
}

[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Field | AttributeTargets.ReturnValue, Inherited = false)]
public sealed class MarshalAsAttribute : Attribute
{
    public MarshalAsAttribute(UnmanagedType unmanagedType) => Value = unmanagedType;

    public UnmanagedType Value { get; }
}

public enum UnmanagedType
{
    Bool = 2,
    I1 = 3,
    U1 = 4,
    I2 = 5,
    U2 = 6,
    I4 = 7,
    U4 = 8,
    I8 = 9,
    U8 = 10,
}

[AttributeUsage(AttributeTargets.Assembly, Inherited = false)]
public sealed class DisableRuntimeMarshallingAttribute : Attribute
{
}

[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class OptionalAttribute : Attribute
{
}
