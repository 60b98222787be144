// Base of every array. The element count sits right after the MethodTable
// pointer (padded to 8 bytes), then the elements.
using System.Runtime.CompilerServices;
using Internal.Runtime;

namespace System;

public abstract unsafe class Array
{
    private int _numComponents;

    public int Length => _numComponents;

    public long LongLength => _numComponents;

    public int Rank => 1;

    internal ref byte GetRawArrayData() => ref Unsafe.As<RawArrayData>(this).Data;

    internal nuint ElementSize => GetMethodTable()->ComponentSize;

    public static void Copy(Array sourceArray, Array destinationArray, int length)
        => Copy(sourceArray, 0, destinationArray, 0, length);

    public static void Copy(Array sourceArray, int sourceIndex, Array destinationArray, int destinationIndex, int length)
    {
        if (sourceArray is null || destinationArray is null)
            ThrowHelper.ThrowArgumentNull(sourceArray is null ? "sourceArray" : "destinationArray");
        if (sourceArray.GetMethodTable() != destinationArray.GetMethodTable())
            ThrowHelper.ThrowArgument("Array.Copy: source and destination arrays must have the same type.");
        if (length < 0 || sourceIndex < 0 || destinationIndex < 0
            || sourceIndex > sourceArray.Length - length || destinationIndex > destinationArray.Length - length)
            ThrowHelper.ThrowArgumentOutOfRange("length");

        nuint elementSize = sourceArray.ElementSize;
        Buffer.Memmove(
            ref Unsafe.AddByteOffset(ref destinationArray.GetRawArrayData(), (nuint)destinationIndex * elementSize),
            ref Unsafe.AddByteOffset(ref sourceArray.GetRawArrayData(), (nuint)sourceIndex * elementSize),
            (nuint)length * elementSize);
    }

    public static void Clear(Array array) => Clear(array, 0, array.Length);

    public static void Clear(Array array, int index, int length)
    {
        if (array is null)
            ThrowHelper.ThrowArgumentNull("array");
        if (index < 0 || length < 0 || index > array.Length - length)
            ThrowHelper.ThrowArgumentOutOfRange("index");
        nuint elementSize = array.ElementSize;
        SpanHelpers.ClearWithoutReferences(ref Unsafe.AddByteOffset(ref array.GetRawArrayData(), (nuint)index * elementSize), (nuint)length * elementSize);
    }

    public static T[] Empty<T>() => EmptyArray<T>.Value;

    public static void Resize<T>(ref T[] array, int newSize)
    {
        if (newSize < 0)
            ThrowHelper.ThrowArgumentOutOfRange("newSize");
        T[] larger = new T[newSize];
        if (array != null)
            Copy(array, larger, array.Length < newSize ? array.Length : newSize);
        array = larger;
    }

    public static void Fill<T>(T[] array, T value) => new Span<T>(array).Fill(value);

    public static int IndexOf<T>(T[] array, T value)
        where T : IEquatable<T>
    {
        for (int i = 0; i < array.Length; i++)
        {
            if (array[i].Equals(value))
                return i;
        }

        return -1;
    }

    public static void Reverse<T>(T[] array) => new Span<T>(array).Reverse();

    // Insertion sort: arrays sorted in the kernel are small; stable and allocation-free.
    public static void Sort<T>(T[] array)
        where T : IComparable<T>
        => new Span<T>(array).Sort();

    private static class EmptyArray<T>
    {
        internal static readonly T[] Value = new T[0];
    }
}

// The compiler's generic view of single-dimensional arrays (T[]).
public class Array<T> : Array
{
}

// Mirrors the array layout after the MethodTable pointer.
internal sealed class RawArrayData
{
    public uint Length;
    public uint Padding;
    public byte Data;
}
