namespace System.Runtime.InteropServices;

// Required by name by the compiler; this runtime never creates such objects.
public unsafe interface IDynamicInterfaceCastable
{
    bool IsInterfaceImplemented(RuntimeTypeHandle interfaceType, bool throwIfNotImplemented);

    RuntimeTypeHandle GetInterfaceImplementation(RuntimeTypeHandle interfaceType);

    internal static IntPtr GetDynamicInterfaceImplementation(object instance, Internal.Runtime.MethodTable* interfaceType, ushort slot)
    {
        Internal.Runtime.RuntimeFailure.Fail("System.NotSupportedException", "IDynamicInterfaceCastable is not supported by this runtime.");
        return IntPtr.Zero;
    }
}
