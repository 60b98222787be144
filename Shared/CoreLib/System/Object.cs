// The root of every reference type. Its only field is the MethodTable pointer
// that the compiler and the runtime expect at offset 0 of every object.
using System.Runtime.CompilerServices;
using Internal.Runtime;

namespace System;

public unsafe class Object
{
    // Set by the allocator (RuntimeExports.RhpNewFast); never written from C#.
    internal MethodTable* _methodTable;

    public Object()
    {
    }

    public virtual bool Equals(object obj) => ReferenceEquals(this, obj);

    // Objects never move (there is no compacting collector), so the address is a stable hash.
    public virtual int GetHashCode() => GetHashCodeByAddress();

    internal int GetHashCodeByAddress()
    {
        nuint address = (nuint)Unsafe.AsPointer(ref Unsafe.As<RawData>(this).Data);
        return (int)address ^ (int)(address >> 32);
    }

    // There is no reflection metadata in the images, so the default text names no type.
    public virtual string ToString() => "object";

    public static bool ReferenceEquals(object objA, object objB) => objA == objB;

    public static bool Equals(object objA, object objB)
    {
        if (objA == objB)
            return true;
        if (objA is null || objB is null)
            return false;
        return objA.Equals(objB);
    }

    internal MethodTable* GetMethodTable() => _methodTable;

    internal ref byte GetRawData() => ref Unsafe.As<RawData>(this).Data;

    // Mirrors the start of every object: the field after the MethodTable pointer.
    internal sealed class RawData
    {
        public byte Data;
    }
}
