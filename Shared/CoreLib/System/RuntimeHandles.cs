// Handles the compiler emits for ldtoken. Each must hold exactly one
// pointer-sized field (ILC checks the layout).
using Internal.Runtime;

namespace System;

public unsafe struct RuntimeTypeHandle
{
    private readonly IntPtr _value;

    internal RuntimeTypeHandle(MethodTable* methodTable) => _value = (IntPtr)methodTable;

    public IntPtr Value => _value;

    internal MethodTable* ToMethodTable() => (MethodTable*)_value;

    public bool Equals(RuntimeTypeHandle other) => _value == other._value;

    public override bool Equals(object obj) => obj is RuntimeTypeHandle other && Equals(other);

    public override int GetHashCode() => _value.GetHashCode();
}

public struct RuntimeMethodHandle
{
    private readonly IntPtr _value;

    public IntPtr Value => _value;
}

public struct RuntimeFieldHandle
{
    private readonly IntPtr _value;

    public IntPtr Value => _value;
}
