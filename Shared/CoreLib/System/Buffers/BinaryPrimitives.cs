// Little- and big-endian reads and writes over byte spans, used by the
// parsers (PE, ACPI, PSF fonts) that run both in the images and in host tests.
using System.Runtime.CompilerServices;

namespace System.Buffers.Binary;

public static class BinaryPrimitives
{
    public static ushort ReadUInt16LittleEndian(ReadOnlySpan<byte> source)
    {
        CheckLength(source.Length, 2);
        return (ushort)(source[0] | (source[1] << 8));
    }

    public static short ReadInt16LittleEndian(ReadOnlySpan<byte> source) => (short)ReadUInt16LittleEndian(source);

    public static uint ReadUInt32LittleEndian(ReadOnlySpan<byte> source)
    {
        CheckLength(source.Length, 4);
        return source[0] | ((uint)source[1] << 8) | ((uint)source[2] << 16) | ((uint)source[3] << 24);
    }

    public static int ReadInt32LittleEndian(ReadOnlySpan<byte> source) => (int)ReadUInt32LittleEndian(source);

    public static ulong ReadUInt64LittleEndian(ReadOnlySpan<byte> source)
    {
        CheckLength(source.Length, 8);
        return ReadUInt32LittleEndian(source) | ((ulong)ReadUInt32LittleEndian(source.Slice(4)) << 32);
    }

    public static long ReadInt64LittleEndian(ReadOnlySpan<byte> source) => (long)ReadUInt64LittleEndian(source);

    public static ushort ReadUInt16BigEndian(ReadOnlySpan<byte> source)
    {
        CheckLength(source.Length, 2);
        return (ushort)((source[0] << 8) | source[1]);
    }

    public static uint ReadUInt32BigEndian(ReadOnlySpan<byte> source)
    {
        CheckLength(source.Length, 4);
        return ((uint)source[0] << 24) | ((uint)source[1] << 16) | ((uint)source[2] << 8) | source[3];
    }

    public static void WriteUInt16LittleEndian(Span<byte> destination, ushort value)
    {
        CheckLength(destination.Length, 2);
        destination[0] = (byte)value;
        destination[1] = (byte)(value >> 8);
    }

    public static void WriteUInt32LittleEndian(Span<byte> destination, uint value)
    {
        CheckLength(destination.Length, 4);
        destination[0] = (byte)value;
        destination[1] = (byte)(value >> 8);
        destination[2] = (byte)(value >> 16);
        destination[3] = (byte)(value >> 24);
    }

    public static void WriteInt32LittleEndian(Span<byte> destination, int value) => WriteUInt32LittleEndian(destination, (uint)value);

    public static void WriteUInt64LittleEndian(Span<byte> destination, ulong value)
    {
        CheckLength(destination.Length, 8);
        WriteUInt32LittleEndian(destination, (uint)value);
        WriteUInt32LittleEndian(destination.Slice(4), (uint)(value >> 32));
    }

    public static void WriteUInt16BigEndian(Span<byte> destination, ushort value)
    {
        CheckLength(destination.Length, 2);
        destination[0] = (byte)(value >> 8);
        destination[1] = (byte)value;
    }

    public static void WriteUInt32BigEndian(Span<byte> destination, uint value)
    {
        CheckLength(destination.Length, 4);
        destination[0] = (byte)(value >> 24);
        destination[1] = (byte)(value >> 16);
        destination[2] = (byte)(value >> 8);
        destination[3] = (byte)value;
    }

    private static void CheckLength(int length, int needed)
    {
        if (length < needed)
            ThrowHelper.ThrowArgumentOutOfRange("source");
    }
}
