// Block copies. The compiler calls Buffer.Memmove for struct and block copies
// (cpblk), so this code must never contain a construct the compiler would turn
// back into a block copy: it moves bytes and machine words only.
using System.Runtime.CompilerServices;

namespace System;

public static unsafe class Buffer
{
    public static void MemoryCopy(void* source, void* destination, long destinationSizeInBytes, long sourceBytesToCopy)
    {
        if (sourceBytesToCopy > destinationSizeInBytes)
            ThrowHelper.ThrowArgumentOutOfRange("sourceBytesToCopy");
        Memmove((byte*)destination, (byte*)source, (nuint)sourceBytesToCopy);
    }

    internal static void Memmove(ref byte destination, ref byte source, nuint length)
        => Memmove((byte*)Unsafe.AsPointer(ref destination), (byte*)Unsafe.AsPointer(ref source), length);

    internal static void Memmove<T>(ref T destination, ref T source, nuint elementCount)
        => Memmove(ref Unsafe.As<T, byte>(ref destination), ref Unsafe.As<T, byte>(ref source), elementCount * (nuint)Unsafe.SizeOf<T>());

    // Reference fields need no write barrier: there is no generational collector.
    internal static void BulkMoveWithWriteBarrier(ref byte destination, ref byte source, nuint byteCount)
        => Memmove(ref destination, ref source, byteCount);

    internal static void Memmove(byte* destination, byte* source, nuint length)
    {
        if (destination == source || length == 0)
            return;

        if (destination < source || destination >= source + length)
        {
            // Forward copy: words while both are in range, then the tail.
            nuint i = 0;
            for (; i + 8 <= length; i += 8)
                *(ulong*)(destination + i) = *(ulong*)(source + i);
            for (; i < length; i++)
                destination[i] = source[i];
        }
        else
        {
            // Overlap with destination above source: copy backwards.
            nuint i = length;
            for (; i >= 8; i -= 8)
                *(ulong*)(destination + i - 8) = *(ulong*)(source + i - 8);
            for (; i > 0; i--)
                destination[i - 1] = source[i - 1];
        }
    }
}
