// Block fill and clear. The compiler calls these for initblk and for zeroing
// large locals, so like Buffer.Memmove they use plain loads and stores only.
using System.Runtime.CompilerServices;

namespace System;

internal static unsafe class SpanHelpers
{
    public static void ClearWithoutReferences(ref byte destination, nuint byteLength)
        => Fill(ref destination, byteLength, 0);

    public static void ClearWithReferences(ref IntPtr destination, nuint pointerSizeLength)
        => Fill(ref Unsafe.As<IntPtr, byte>(ref destination), pointerSizeLength * 8, 0);

    public static void Memmove(ref byte destination, ref byte source, nuint length)
        => Buffer.Memmove(ref destination, ref source, length);

    public static void Fill(ref byte destination, nuint byteLength, byte value)
    {
        byte* p = (byte*)Unsafe.AsPointer(ref destination);
        ulong pattern = value * 0x0101010101010101UL;
        nuint i = 0;
        for (; i + 8 <= byteLength; i += 8)
            *(ulong*)(p + i) = pattern;
        for (; i < byteLength; i++)
            p[i] = value;
    }
}
