// typeof(T) support. A Type is only a MethodTable: enough to compare types
// and to test assignability; there are no names or members (no reflection).
using Internal.Runtime;

namespace System;

public abstract unsafe class Type
{
    public abstract RuntimeTypeHandle TypeHandle { get; }

    public static Type GetTypeFromHandle(RuntimeTypeHandle handle)
        => handle.Value == IntPtr.Zero ? null : new RuntimeType(handle.ToMethodTable());

    public static bool operator ==(Type left, Type right)
    {
        if (ReferenceEquals(left, right))
            return true;
        if (left is null || right is null)
            return false;
        return left.TypeHandle.Value == right.TypeHandle.Value;
    }

    public static bool operator !=(Type left, Type right) => !(left == right);

    public override bool Equals(object o) => o is Type other && this == other;

    public override int GetHashCode() => TypeHandle.Value.GetHashCode();

    public bool IsValueType => TypeHandle.ToMethodTable()->IsValueType;

    public bool IsArray => TypeHandle.ToMethodTable()->IsArray;

    public bool IsInterface => TypeHandle.ToMethodTable()->IsInterface;

    public bool IsAssignableFrom(Type c) => c is not null && Runtime.TypeCast.AreTypesAssignable(c.TypeHandle.ToMethodTable(), TypeHandle.ToMethodTable());
}

internal sealed unsafe class RuntimeType : Type
{
    private readonly MethodTable* _type;

    internal RuntimeType(MethodTable* methodTable) => _type = methodTable;

    public override RuntimeTypeHandle TypeHandle => new RuntimeTypeHandle(_type);

    public override string ToString() => "Type(MethodTable 0x" + ((ulong)_type).ToString("X") + ")";
}
