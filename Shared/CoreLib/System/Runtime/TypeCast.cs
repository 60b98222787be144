// is / as / casts, array covariance checks and unboxing checks. Assignability
// is decided from MethodTables alone: the base-type chain for classes, the
// interface map for interfaces, element types for arrays. Generic variance
// (IEnumerable<Derived> as IEnumerable<Base>) is not implemented: such casts
// need an exact match.
using System.Runtime.CompilerServices;
using Internal.Runtime;

namespace System.Runtime;

internal static unsafe class TypeCast
{
    [RuntimeExport("RhTypeCast_IsInstanceOfClass")]
    public static object IsInstanceOfClass(MethodTable* targetType, object obj)
    {
        if (obj is null)
            return null;
        for (MethodTable* type = obj.GetMethodTable(); type != null; type = type->BaseType)
        {
            if (type == targetType)
                return obj;
        }

        return null;
    }

    [RuntimeExport("RhTypeCast_CheckCastClass")]
    public static object CheckCastClass(MethodTable* targetType, object obj)
    {
        if (obj is null || IsInstanceOfClass(targetType, obj) is not null)
            return obj;
        return FailCast(obj.GetMethodTable(), targetType);
    }

    [RuntimeExport("RhTypeCast_CheckCastClassSpecial")]
    public static object CheckCastClassSpecial(MethodTable* targetType, object obj) => CheckCastClass(targetType, obj);

    [RuntimeExport("RhTypeCast_IsInstanceOfInterface")]
    public static object IsInstanceOfInterface(MethodTable* targetType, object obj)
    {
        if (obj is null)
            return null;
        return ImplementsInterface(obj.GetMethodTable(), targetType) ? obj : null;
    }

    [RuntimeExport("RhTypeCast_CheckCastInterface")]
    public static object CheckCastInterface(MethodTable* targetType, object obj)
    {
        if (obj is null || ImplementsInterface(obj.GetMethodTable(), targetType))
            return obj;
        return FailCast(obj.GetMethodTable(), targetType);
    }

    [RuntimeExport("RhTypeCast_IsInstanceOfAny")]
    public static object IsInstanceOfAny(MethodTable* targetType, object obj)
    {
        if (obj is null)
            return null;
        return AreTypesAssignable(obj.GetMethodTable(), targetType) ? obj : null;
    }

    [RuntimeExport("RhTypeCast_CheckCastAny")]
    public static object CheckCastAny(MethodTable* targetType, object obj)
    {
        if (obj is null || AreTypesAssignable(obj.GetMethodTable(), targetType))
            return obj;
        return FailCast(obj.GetMethodTable(), targetType);
    }

    [RuntimeExport("RhTypeCast_IsInstanceOfException")]
    public static bool IsInstanceOfException(MethodTable* targetType, object obj)
        => obj is not null && AreTypesAssignable(obj.GetMethodTable(), targetType);

    /// <summary>array[index] = obj for arrays of references, with the covariance check.</summary>
    [RuntimeExport("RhpStelemRef")]
    public static void StelemRef(object[] array, nint index, object obj)
    {
        if (array is null)
            ThrowHelper.ThrowNullReference("Storing into a null array.");
        if ((nuint)index >= (uint)array.Length)
            ThrowHelper.ThrowIndexOutOfRange();

        ref object element = ref Unsafe.As<byte, object>(ref Unsafe.AddByteOffset(ref array.GetRawArrayData(), (nuint)index * 8));
        if (obj is not null)
        {
            MethodTable* elementType = array.GetMethodTable()->RelatedParameterType;
            if (obj.GetMethodTable() != elementType && !AreTypesAssignable(obj.GetMethodTable(), elementType))
                ThrowHelper.ThrowArrayTypeMismatch();
        }

        element = obj;
    }

    /// <summary>ref array[index] for arrays of references: the element type must match exactly.</summary>
    [RuntimeExport("RhpLdelemaRef")]
    public static ref object LdelemaRef(object[] array, nint index, IntPtr elementType)
    {
        if (array is null)
            ThrowHelper.ThrowNullReference("Taking the address of an element of a null array.");
        if ((nuint)index >= (uint)array.Length)
            ThrowHelper.ThrowIndexOutOfRange();
        if (array.GetMethodTable()->RelatedParameterType != (MethodTable*)elementType)
            ThrowHelper.ThrowArrayTypeMismatch();
        return ref Unsafe.As<byte, object>(ref Unsafe.AddByteOffset(ref array.GetRawArrayData(), (nuint)index * 8));
    }

    public static bool ImplementsInterface(MethodTable* type, MethodTable* interfaceType)
    {
        int count = type->NumInterfaces;
        MethodTable** map = type->InterfaceMap;
        for (int i = 0; i < count; i++)
        {
            if (map[i] == interfaceType)
                return true;
        }

        return false;
    }

    /// <summary>Whether a value whose exact type is <paramref name="source"/> can be stored in a location of <paramref name="target"/>.</summary>
    public static bool AreTypesAssignable(MethodTable* source, MethodTable* target)
    {
        if (source == target)
            return true;

        if (target->IsInterface)
            return ImplementsInterface(source, target);

        if (source->IsArray)
        {
            if (target->IsArray)
            {
                // Reference-type elements are covariant (string[] is object[]); value-type elements must match.
                MethodTable* sourceElement = source->RelatedParameterType;
                MethodTable* targetElement = target->RelatedParameterType;
                if (sourceElement->IsValueType || targetElement->IsValueType)
                    return sourceElement == targetElement;
                return AreTypesAssignable(sourceElement, targetElement);
            }

            // Every array is a System.Array and an object.
            return target == MethodTable.Of<Array>() || target == MethodTable.Of<object>();
        }

        for (MethodTable* type = source->BaseType; type != null; type = type->BaseType)
        {
            if (type == target)
                return true;
        }

        return false;
    }

    /// <summary>Unboxing accepts the exact type, and an enum and its underlying primitive in either direction.</summary>
    public static bool AreTypesEquivalentForUnbox(MethodTable* boxed, MethodTable* target)
    {
        if (boxed == target)
            return true;
        return boxed->IsPrimitive && target->IsPrimitive && boxed->ElementType == target->ElementType;
    }

    private static object FailCast(MethodTable* source, MethodTable* target)
    {
        throw new InvalidCastException("Specified cast is not valid (MethodTable 0x" + ((ulong)source).ToString("X") + " is not assignable to MethodTable 0x" + ((ulong)target).ToString("X") + ").");
    }
}
