// Reinterpreting spans and reaching the data behind arrays.
using System.Runtime.CompilerServices;

namespace System.Runtime.InteropServices;

public static unsafe class MemoryMarshal
{
    public static ref T GetArrayDataReference<T>(T[] array)
        => ref Unsafe.As<byte, T>(ref Unsafe.As<RawArrayData>(array).Data);

    public static ref T GetReference<T>(Span<T> span) => ref span._reference;

    public static ref T GetReference<T>(ReadOnlySpan<T> span) => ref span._reference;

    public static Span<T> CreateSpan<T>(ref T reference, int length) => new Span<T>(ref reference, length);

    public static ReadOnlySpan<T> CreateReadOnlySpan<T>(ref readonly T reference, int length)
        => new ReadOnlySpan<T>(ref Unsafe.AsRef(in reference), length);

    public static Span<byte> AsBytes<T>(Span<T> span)
        where T : struct
        => new Span<byte>(ref Unsafe.As<T, byte>(ref span._reference), checked(span.Length * Unsafe.SizeOf<T>()));

    public static ReadOnlySpan<byte> AsBytes<T>(ReadOnlySpan<T> span)
        where T : struct
        => new ReadOnlySpan<byte>(ref Unsafe.As<T, byte>(ref span._reference), checked(span.Length * Unsafe.SizeOf<T>()));

    public static Span<TTo> Cast<TFrom, TTo>(Span<TFrom> span)
        where TFrom : struct
        where TTo : struct
    {
        ulong bytes = (ulong)(uint)span.Length * (ulong)Unsafe.SizeOf<TFrom>();
        return new Span<TTo>(ref Unsafe.As<TFrom, TTo>(ref span._reference), (int)(bytes / (ulong)Unsafe.SizeOf<TTo>()));
    }

    public static ReadOnlySpan<TTo> Cast<TFrom, TTo>(ReadOnlySpan<TFrom> span)
        where TFrom : struct
        where TTo : struct
    {
        ulong bytes = (ulong)(uint)span.Length * (ulong)Unsafe.SizeOf<TFrom>();
        return new ReadOnlySpan<TTo>(ref Unsafe.As<TFrom, TTo>(ref span._reference), (int)(bytes / (ulong)Unsafe.SizeOf<TTo>()));
    }

    public static T Read<T>(ReadOnlySpan<byte> source)
        where T : struct
    {
        if (Unsafe.SizeOf<T>() > source.Length)
            ThrowHelper.ThrowArgumentOutOfRange("source");
        return Unsafe.ReadUnaligned<T>(ref source._reference);
    }

    public static bool TryRead<T>(ReadOnlySpan<byte> source, out T value)
        where T : struct
    {
        if (Unsafe.SizeOf<T>() > source.Length)
        {
            value = default;
            return false;
        }

        value = Unsafe.ReadUnaligned<T>(ref source._reference);
        return true;
    }

    public static void Write<T>(Span<byte> destination, in T value)
        where T : struct
    {
        if (Unsafe.SizeOf<T>() > destination.Length)
            ThrowHelper.ThrowArgumentOutOfRange("destination");
        Unsafe.WriteUnaligned(ref destination._reference, value);
    }

    public static ref T AsRef<T>(Span<byte> span)
        where T : struct
    {
        if (Unsafe.SizeOf<T>() > span.Length)
            ThrowHelper.ThrowArgumentOutOfRange("span");
        return ref Unsafe.As<byte, T>(ref span._reference);
    }
}
