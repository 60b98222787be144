// The helpers ILCompiler's generated code calls by symbol name: allocation,
// boxing and unboxing. Every allocation funnels into
// RuntimeAllocator.AllocateObject. Throwing is RhpThrowEx (machine code,
// tools/AsmGen/Modules/ExceptionGlue.cs) entering ExceptionHandling.
using System;
using Internal.Runtime;
using System.Runtime.CompilerServices;

namespace System.Runtime;

internal static unsafe class RuntimeExports
{
    private const int ObjectHeaderSize = 8;

    [RuntimeExport("RhpNewFast")]
    private static object RhpNewFast(MethodTable* type) => AllocateObject(type);

    [RuntimeExport("RhNewObject")]
    private static object RhNewObject(MethodTable* type) => AllocateObject(type);

    [RuntimeExport("RhpNewFinalizable")]
    private static object RhpNewFinalizable(MethodTable* type)
    {
        // Finalizers never run here (no finalizer thread): the object is an ordinary one, counted so the
        // collector's statistics can say how many finalizers were skipped (docs/gc.md).
        RuntimeAllocator.NoteFinalizableObject();
        return AllocateObject(type);
    }

    [RuntimeExport("RhpNewArrayFast")]
    private static object RhpNewArrayFast(MethodTable* type, int length) => AllocateArray(type, length);

    [RuntimeExport("RhpNewPtrArrayFast")]
    private static object RhpNewPtrArrayFast(MethodTable* type, int length) => AllocateArray(type, length);

    [RuntimeExport("RhNewArray")]
    private static object RhNewArray(MethodTable* type, int length) => AllocateArray(type, length);

    [RuntimeExport("RhNewString")]
    private static object RhNewString(MethodTable* type, int length) => AllocateArray(type, length);

    internal static object AllocateObject(MethodTable* type)
    {
        byte* memory = (byte*)RuntimeAllocator.AllocateObject(type->BaseSize);
        return InitializeObject(memory, type);
    }

    /// <summary>Allocates an array or string of <paramref name="length"/> elements.</summary>
    internal static object AllocateArray(MethodTable* type, int length)
    {
        if (length < 0)
            throw new OverflowException("Array dimensions exceeded supported range (negative length).");

        ulong size = type->BaseSize + ((ulong)(uint)length * type->ComponentSize);
        if (size > 0x7FFF_FFFF)
            RuntimeFailure.Fail("System.OutOfMemoryException", "Array or string larger than 2 GiB requested.");

        byte* memory = (byte*)RuntimeAllocator.AllocateObject((nuint)size);
        object result = InitializeObject(memory, type);
        *(int*)(memory + ObjectHeaderSize + sizeof(nint)) = length;
        return result;
    }

    // The object reference points at the MethodTable pointer, 8 bytes into the allocation.
    private static object InitializeObject(byte* memory, MethodTable* type)
    {
        byte* objectAddress = memory + ObjectHeaderSize;
        *(MethodTable**)objectAddress = type;
        return Unsafe.AsRef<object>(&objectAddress);
    }

    [RuntimeExport("RhBox")]
    internal static object RhBox(MethodTable* type, ref byte data)
    {
        ref byte source = ref data;
        if (type->IsNullable)
        {
            // A Nullable without a value boxes to null; with one, to the boxed T.
            if (data == 0)
                return null;
            source = ref Unsafe.Add(ref data, type->NullableValueOffset);
            type = type->NullableType;
        }

        object result = AllocateObject(type);
        Buffer.Memmove(ref result.GetRawData(), ref source, type->ValueTypeSize);
        return result;
    }

    [RuntimeExport("RhUnbox2")]
    private static ref byte RhUnbox2(MethodTable* type, object obj)
    {
        if (obj is null || !TypeCast.AreTypesEquivalentForUnbox(obj.GetMethodTable(), type))
            throw obj is null ? new NullReferenceException() : new InvalidCastException();
        return ref obj.GetRawData();
    }

    [RuntimeExport("RhUnboxNullable")]
    private static void RhUnboxNullable(ref byte data, MethodTable* type, object obj)
    {
        MethodTable* valueType = type->NullableType;
        int offset = type->NullableValueOffset;
        SpanHelpers.Fill(ref data, (nuint)offset + valueType->ValueTypeSize, 0);
        if (obj is null)
            return;
        if (!TypeCast.AreTypesEquivalentForUnbox(obj.GetMethodTable(), valueType))
            throw new InvalidCastException();
        data = 1;
        Buffer.Memmove(ref Unsafe.Add(ref data, offset), ref obj.GetRawData(), valueType->ValueTypeSize);
    }

    [RuntimeExport("RhUnboxAny")]
    private static void RhUnboxAny(object obj, ref byte data, MethodTable* type)
    {
        if (type->IsValueType)
        {
            if (type->IsNullable)
            {
                RhUnboxNullable(ref data, type, obj);
                return;
            }

            Buffer.Memmove(ref data, ref RhUnbox2(type, obj), type->ValueTypeSize);
            return;
        }

        if (obj is not null && !TypeCast.AreTypesAssignable(obj.GetMethodTable(), type))
            throw new InvalidCastException();
        Unsafe.As<byte, object>(ref data) = obj;
    }

    [RuntimeExport("RhpFallbackFailFast")]
    private static void RhpFallbackFailFast() => RuntimeFailure.Fail("FailFast", "The compiled code requested a fail-fast (e.g. a stack buffer overrun check failed).");

    // Referenced by compiled code for generic virtual method calls; this runtime has no type loader.
    [RuntimeExport("RhpGenericVirtualMethodUnsupported")]
    private static void GenericVirtualMethodUnsupported() => RuntimeFailure.Fail("System.NotSupportedException", "Generic virtual methods are not supported by this runtime.");
}
