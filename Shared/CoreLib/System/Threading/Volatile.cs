// Reads and writes the compiler may not cache, merge or reorder across:
// memory shared with interrupt handlers and with devices.
using System.Runtime.CompilerServices;

namespace System.Threading;

public static class Volatile
{
    public static int Read(ref readonly int location) => Unsafe.As<int, VolatileInt32>(ref Unsafe.AsRef(in location)).Value;

    public static uint Read(ref readonly uint location) => Unsafe.As<uint, VolatileUInt32>(ref Unsafe.AsRef(in location)).Value;

    // 64-bit loads and stores are atomic on x86_64; 'volatile' is only allowed on pointer-sized types.
    public static long Read(ref readonly long location) => Unsafe.As<long, VolatileNative>(ref Unsafe.AsRef(in location)).Value;

    public static ulong Read(ref readonly ulong location) => (ulong)Unsafe.As<ulong, VolatileNative>(ref Unsafe.AsRef(in location)).Value;

    public static nint Read(ref readonly nint location) => Unsafe.As<nint, VolatileNative>(ref Unsafe.AsRef(in location)).Value;

    public static bool Read(ref readonly bool location) => Unsafe.As<bool, VolatileBoolean>(ref Unsafe.AsRef(in location)).Value;

    public static byte Read(ref readonly byte location) => Unsafe.As<byte, VolatileByte>(ref Unsafe.AsRef(in location)).Value;

    public static void Write(ref int location, int value) => Unsafe.As<int, VolatileInt32>(ref location).Value = value;

    public static void Write(ref uint location, uint value) => Unsafe.As<uint, VolatileUInt32>(ref location).Value = value;

    public static void Write(ref long location, long value) => Unsafe.As<long, VolatileNative>(ref location).Value = (nint)value;

    public static void Write(ref ulong location, ulong value) => Unsafe.As<ulong, VolatileNative>(ref location).Value = (nint)value;

    public static void Write(ref nint location, nint value) => Unsafe.As<nint, VolatileNative>(ref location).Value = value;

    public static void Write(ref bool location, bool value) => Unsafe.As<bool, VolatileBoolean>(ref location).Value = value;

    public static void Write(ref byte location, byte value) => Unsafe.As<byte, VolatileByte>(ref location).Value = value;

    private struct VolatileInt32
    {
        public volatile int Value;
    }

    private struct VolatileUInt32
    {
        public volatile uint Value;
    }

    private struct VolatileNative
    {
        public volatile nint Value;
    }

    private struct VolatileBoolean
    {
        public volatile bool Value;
    }

    private struct VolatileByte
    {
        public volatile byte Value;
    }
}
