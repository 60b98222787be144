// How one pixel is stored in a framebuffer: 2, 3 or 4 bytes, little-endian,
// with each color channel in a contiguous run of bits. UEFI's GOP formats
// (RGB reserved, BGR reserved, bitmask) all reduce to this. Encode turns a
// color into the value to store; Decode reads one back (tests use it).
using System.Numerics;

namespace Shared.Console;

public readonly struct PixelLayout
{
    private readonly byte _redShift;
    private readonly byte _redBits;
    private readonly byte _greenShift;
    private readonly byte _greenBits;
    private readonly byte _blueShift;
    private readonly byte _blueBits;

    private PixelLayout(int bytesPerPixel, uint redMask, uint greenMask, uint blueMask)
    {
        BytesPerPixel = bytesPerPixel;
        _redShift = (byte)BitOperations.TrailingZeroCount(redMask);
        _redBits = (byte)BitOperations.PopCount(redMask);
        _greenShift = (byte)BitOperations.TrailingZeroCount(greenMask);
        _greenBits = (byte)BitOperations.PopCount(greenMask);
        _blueShift = (byte)BitOperations.TrailingZeroCount(blueMask);
        _blueBits = (byte)BitOperations.PopCount(blueMask);
    }

    public int BytesPerPixel { get; }

    public uint RedMask => Mask(_redShift, _redBits);

    public uint GreenMask => Mask(_greenShift, _greenBits);

    public uint BlueMask => Mask(_blueShift, _blueBits);

    /// <summary>Bytes in memory R, G, B, unused (GOP's PixelRedGreenBlueReserved8BitPerColor).</summary>
    public static PixelLayout Rgbx => new(4, 0x0000FF, 0x00FF00, 0xFF0000);

    /// <summary>Bytes in memory B, G, R, unused (GOP's PixelBlueGreenRedReserved8BitPerColor).</summary>
    public static PixelLayout Bgrx => new(4, 0xFF0000, 0x00FF00, 0x0000FF);

    /// <summary>
    /// A layout from channel masks (GOP's PixelBitMask). Fails for what the console cannot draw into: a pixel size
    /// other than 2, 3 or 4 bytes, an empty, non-contiguous or wider-than-16-bit channel, overlapping channels, or
    /// a channel outside the pixel.
    /// </summary>
    public static bool TryFromMasks(uint redMask, uint greenMask, uint blueMask, int bytesPerPixel, out PixelLayout layout)
    {
        layout = default;
        if (bytesPerPixel < 2 || bytesPerPixel > 4)
            return false;
        if (!IsChannelMask(redMask) || !IsChannelMask(greenMask) || !IsChannelMask(blueMask))
            return false;
        if ((redMask & greenMask) != 0 || (redMask & blueMask) != 0 || (greenMask & blueMask) != 0)
            return false;
        uint pixelBits = bytesPerPixel == 4 ? 0xFFFFFFFF : (1u << (bytesPerPixel * 8)) - 1;
        if (((redMask | greenMask | blueMask) & ~pixelBits) != 0)
            return false;
        layout = new PixelLayout(bytesPerPixel, redMask, greenMask, blueMask);
        return true;
    }

    /// <summary>The value to store for <paramref name="color"/> (its low BytesPerPixel bytes, little-endian).</summary>
    public uint Encode(Rgb color)
        => (Scale(color.R, _redBits) << _redShift) | (Scale(color.G, _greenBits) << _greenShift) | (Scale(color.B, _blueBits) << _blueShift);

    public Rgb Decode(uint pixel)
        => new(Unscale(pixel >> _redShift, _redBits), Unscale(pixel >> _greenShift, _greenBits), Unscale(pixel >> _blueShift, _blueBits));

    private static bool IsChannelMask(uint mask)
    {
        if (mask == 0)
            return false;
        uint shifted = mask >> BitOperations.TrailingZeroCount(mask);
        return (shifted & (shifted + 1)) == 0 && BitOperations.PopCount(mask) <= 16;
    }

    private static uint Mask(int shift, int bits) => ((1u << bits) - 1) << shift;

    // 8-bit channel value to 'bits' bits, rounded (exact for 8-bit channels).
    private static uint Scale(byte value, int bits)
    {
        uint maximum = (1u << bits) - 1;
        return ((value * maximum) + 127) / 255;
    }

    private static byte Unscale(uint value, int bits)
    {
        uint maximum = (1u << bits) - 1;
        return (byte)((((value & maximum) * 255) + (maximum / 2)) / maximum);
    }
}
