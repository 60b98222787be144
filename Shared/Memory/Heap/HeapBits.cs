// Branch-free bit scans for the allocators' hot paths. The runtime library's
// BitOperations loops bit by bit (fine for start-up code, not for an O(1)
// allocator), and ILCompiler is not asked for LZCNT/TZCNT here, so these use
// the de Bruijn multiply-and-look-up method: a handful of instructions, the
// same on the host and in the kernel.
using System;
using System.Runtime.CompilerServices;

namespace Shared.Memory.Heap;

public static class HeapBits
{
    private const ulong DeBruijn64 = 0x03F79D71B4CB0A89UL;

    // Position of the single set bit of (x & -x) * DeBruijn64 >> 58.
    private static ReadOnlySpan<byte> LowestBitTable => new byte[]
    {
        0, 1, 48, 2, 57, 49, 28, 3, 61, 58, 50, 42, 38, 29, 17, 4,
        62, 55, 59, 36, 53, 51, 43, 22, 45, 39, 33, 30, 24, 18, 12, 5,
        63, 47, 56, 27, 60, 41, 37, 16, 54, 35, 52, 21, 44, 32, 23, 11,
        46, 26, 40, 15, 34, 20, 31, 10, 25, 14, 19, 9, 13, 8, 7, 6,
    };

    /// <summary>Index of the lowest set bit; the caller guarantees <paramref name="value"/> is not zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int LowestSetBit(ulong value) => LowestBitTable[(int)(((value & (0 - value)) * DeBruijn64) >> 58)];

    /// <summary>Index of the highest set bit (floor of log2); the caller guarantees <paramref name="value"/> is not zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int HighestSetBit(ulong value)
    {
        // Smear the highest bit downwards, keep only it, then look it up like the lowest.
        value |= value >> 1;
        value |= value >> 2;
        value |= value >> 4;
        value |= value >> 8;
        value |= value >> 16;
        value |= value >> 32;
        value ^= value >> 1;
        return LowestBitTable[(int)((value * DeBruijn64) >> 58)];
    }

    /// <summary>
    /// Floor of log2 for <paramref name="value"/> in [1, 2^53): converting to double is exact there, and the
    /// exponent field is the answer (a conversion, a move and a shift: shorter than the bit smearing above).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe int Log2OfSize(ulong value)
    {
        double converted = (long)value;
        return (int)(*(ulong*)&converted >> 52) - 1023;
    }

    public static nuint AlignUp(nuint value, nuint alignment) => (value + alignment - 1) & ~(alignment - 1);

    public static nuint AlignDown(nuint value, nuint alignment) => value & ~(alignment - 1);

    public static bool IsPowerOfTwo(nuint value) => value != 0 && (value & (value - 1)) == 0;
}
