// Raw memory and reference reinterpretation. The bodies come from the
// compiler (ILCompiler supplies the IL for every [Intrinsic] here).
namespace System.Runtime.CompilerServices;

public static unsafe class Unsafe
{
    [Intrinsic]
    public static extern void* AsPointer<T>(ref T value);

    [Intrinsic]
    public static extern int SizeOf<T>();

    [Intrinsic]
    public static extern T As<T>(object o)
        where T : class;

    [Intrinsic]
    public static extern ref TTo As<TFrom, TTo>(ref TFrom source);

    [Intrinsic]
    public static extern ref T AsRef<T>(void* source);

    [Intrinsic]
    public static extern ref T AsRef<T>(scoped ref readonly T source);

    [Intrinsic]
    public static extern ref T Add<T>(ref T source, int elementOffset);

    [Intrinsic]
    public static extern ref T Add<T>(ref T source, nint elementOffset);

    [Intrinsic]
    public static extern ref T Add<T>(ref T source, nuint elementOffset);

    [Intrinsic]
    public static extern void* Add<T>(void* source, int elementOffset);

    [Intrinsic]
    public static extern ref T AddByteOffset<T>(ref T source, nint byteOffset);

    [Intrinsic]
    public static extern ref T AddByteOffset<T>(ref T source, nuint byteOffset);

    [Intrinsic]
    public static extern ref T Subtract<T>(ref T source, int elementOffset);

    [Intrinsic]
    public static extern ref T Subtract<T>(ref T source, nint elementOffset);

    [Intrinsic]
    public static extern nint ByteOffset<T>(ref readonly T origin, ref readonly T target);

    [Intrinsic]
    public static extern bool AreSame<T>(ref readonly T left, ref readonly T right);

    [Intrinsic]
    public static extern bool IsAddressLessThan<T>(ref readonly T left, ref readonly T right);

    [Intrinsic]
    public static extern bool IsAddressGreaterThan<T>(ref readonly T left, ref readonly T right);

    [Intrinsic]
    public static extern T Read<T>(void* source);

    [Intrinsic]
    public static extern void Write<T>(void* destination, T value);

    [Intrinsic]
    public static extern T ReadUnaligned<T>(void* source);

    [Intrinsic]
    public static extern T ReadUnaligned<T>(ref readonly byte source);

    [Intrinsic]
    public static extern void WriteUnaligned<T>(void* destination, T value);

    [Intrinsic]
    public static extern void WriteUnaligned<T>(ref byte destination, T value);

    [Intrinsic]
    public static extern ref T NullRef<T>();

    [Intrinsic]
    public static extern bool IsNullRef<T>(ref readonly T source);

    [Intrinsic]
    public static extern void SkipInit<T>(out T value);

    [Intrinsic]
    public static extern void InitBlockUnaligned(void* startAddress, byte value, uint byteCount);

    [Intrinsic]
    public static extern void CopyBlockUnaligned(void* destination, void* source, uint byteCount);

    [Intrinsic]
    public static extern ref T Unbox<T>(object box)
        where T : struct;
}
