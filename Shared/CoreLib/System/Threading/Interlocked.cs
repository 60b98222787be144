// Atomic read-modify-write operations. Each method is a compiler intrinsic
// that becomes a single 'lock'-prefixed instruction; the recursive bodies are
// never executed (they only exist because an intrinsic needs a body).
using System.Runtime.CompilerServices;

namespace System.Threading;

public static class Interlocked
{
    [Intrinsic]
    public static int CompareExchange(ref int location1, int value, int comparand) => CompareExchange(ref location1, value, comparand);

    [Intrinsic]
    public static uint CompareExchange(ref uint location1, uint value, uint comparand)
        => (uint)CompareExchange(ref Unsafe.As<uint, int>(ref location1), (int)value, (int)comparand);

    [Intrinsic]
    public static long CompareExchange(ref long location1, long value, long comparand) => CompareExchange(ref location1, value, comparand);

    [Intrinsic]
    public static ulong CompareExchange(ref ulong location1, ulong value, ulong comparand)
        => (ulong)CompareExchange(ref Unsafe.As<ulong, long>(ref location1), (long)value, (long)comparand);

    [Intrinsic]
    public static nint CompareExchange(ref nint location1, nint value, nint comparand)
        => (nint)CompareExchange(ref Unsafe.As<nint, long>(ref location1), (long)value, (long)comparand);

    [Intrinsic]
    public static int Exchange(ref int location1, int value) => Exchange(ref location1, value);

    [Intrinsic]
    public static long Exchange(ref long location1, long value) => Exchange(ref location1, value);

    [Intrinsic]
    public static uint Exchange(ref uint location1, uint value) => (uint)Exchange(ref Unsafe.As<uint, int>(ref location1), (int)value);

    [Intrinsic]
    public static ulong Exchange(ref ulong location1, ulong value) => (ulong)Exchange(ref Unsafe.As<ulong, long>(ref location1), (long)value);

    [Intrinsic]
    public static int ExchangeAdd(ref int location1, int value) => ExchangeAdd(ref location1, value);

    [Intrinsic]
    public static long ExchangeAdd(ref long location1, long value) => ExchangeAdd(ref location1, value);

    public static int Add(ref int location1, int value) => ExchangeAdd(ref location1, value) + value;

    public static long Add(ref long location1, long value) => ExchangeAdd(ref location1, value) + value;

    public static ulong Add(ref ulong location1, ulong value)
        => (ulong)Add(ref Unsafe.As<ulong, long>(ref location1), (long)value);

    public static int Increment(ref int location) => Add(ref location, 1);

    public static long Increment(ref long location) => Add(ref location, 1);

    public static ulong Increment(ref ulong location) => Add(ref location, 1);

    public static int Decrement(ref int location) => Add(ref location, -1);

    public static long Decrement(ref long location) => Add(ref location, -1);

    // References are plain pointers here (no write barrier), so they swap as pointer-sized integers.
    public static T CompareExchange<T>(ref T location1, T value, T comparand)
        where T : class
    {
        nint result = CompareExchange(ref Unsafe.As<T, nint>(ref location1), Unsafe.As<T, nint>(ref value), Unsafe.As<T, nint>(ref comparand));
        return Unsafe.As<nint, T>(ref result);
    }

    [Intrinsic]
    public static void MemoryBarrier() => MemoryBarrier();
}
