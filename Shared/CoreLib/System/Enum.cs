// Base class of every enum. Without reflection there are no names: ToString
// prints the number, and HasFlag works on the underlying bits.
using System.Runtime.CompilerServices;
using Internal.Runtime;

namespace System;

public abstract unsafe class Enum : ValueType
{
    [Intrinsic]
    public bool HasFlag(Enum flag)
    {
        ulong mask = ReadUnderlying(flag);
        return (ReadUnderlying(this) & mask) == mask;
    }

    public override string ToString() => Number.UInt64ToString(ReadUnderlying(this));

    // The boxed value sits right after the MethodTable pointer; its width comes
    // from the underlying primitive recorded in the MethodTable's element type.
    private static ulong ReadUnderlying(Enum boxed)
    {
        ref byte data = ref boxed.GetRawData();
        switch (boxed.GetMethodTable()->ElementType)
        {
            case EETypeElementType.SByte:
            case EETypeElementType.Byte:
            case EETypeElementType.Boolean:
                return data;
            case EETypeElementType.Int16:
            case EETypeElementType.UInt16:
            case EETypeElementType.Char:
                return Unsafe.As<byte, ushort>(ref data);
            case EETypeElementType.Int32:
            case EETypeElementType.UInt32:
                return Unsafe.As<byte, uint>(ref data);
            default:
                return Unsafe.As<byte, ulong>(ref data);
        }
    }
}
