// Turns a GOP mode plus the framebuffer the firmware reports into the
// boot-info FramebufferInfo: pixel format, channel masks and the shifts and
// widths computed from them, bytes per pixel, and a size check. RGB and BGR
// modes have fixed 8-bit channels; a BitMask mode's masks can be anything
// (5:6:5, 10:10:10...), so they are validated: each colour present, each
// mask one contiguous run of bits, no two overlapping.
using System.Numerics;

namespace Shared.Boot;

public enum FramebufferError
{
    None,

    /// <summary>The mode is BltOnly (or invalid): there is no memory to draw into.</summary>
    NoFramebuffer,
    NoAddress,
    BadMasks,

    /// <summary>The framebuffer the firmware reports is smaller than stride × height × bytes per pixel.</summary>
    TooSmall,
}

public static class FramebufferLayout
{
    /// <summary>
    /// Describes the framebuffer of <paramref name="mode"/> at <paramref name="physicalBase"/>; VirtualBase and
    /// Flags are left for the loader, which decides the mapping. On an error, <paramref name="info"/> says "none".
    /// </summary>
    public static FramebufferError Describe(in GraphicsMode mode, ulong physicalBase, ulong size, out FramebufferInfo info)
    {
        info = default;
        if (!mode.HasFramebuffer)
            return FramebufferError.NoFramebuffer;
        if (physicalBase == 0)
            return FramebufferError.NoAddress;

        // RGB and BGR modes: 8-bit channels in fixed byte positions, the fourth byte reserved.
        uint red = 0x0000_00FF;
        uint green = 0x0000_FF00;
        uint blue = 0x00FF_0000;
        uint reserved = 0xFF00_0000;
        PixelFormat format = PixelFormat.Rgbx;
        if (mode.Format == GopPixelFormat.BlueGreenRedReserved)
        {
            red = 0x00FF_0000;
            blue = 0x0000_00FF;
            format = PixelFormat.Bgrx;
        }
        else if (mode.Format == GopPixelFormat.BitMask)
        {
            red = mode.RedMask;
            green = mode.GreenMask;
            blue = mode.BlueMask;
            reserved = mode.ReservedMask;
            format = PixelFormat.Bitmask;
            if (!MasksAreValid(red, green, blue, reserved))
                return FramebufferError.BadMasks;
        }

        uint bytesPerPixel = (uint)(32 - BitOperations.LeadingZeroCount(red | green | blue | reserved) + 7) / 8;
        ulong needed = (ulong)mode.PixelsPerScanLine * mode.Height * bytesPerPixel;
        if (size < needed)
            return FramebufferError.TooSmall;

        info = new FramebufferInfo
        {
            PhysicalBase = physicalBase,
            SizeBytes = size,
            Width = mode.Width,
            Height = mode.Height,
            Stride = mode.PixelsPerScanLine,
            BytesPerPixel = bytesPerPixel,
            Format = format,
            RedMask = red,
            GreenMask = green,
            BlueMask = blue,
            ReservedMask = reserved,
            RedShift = Shift(red),
            RedSize = Size(red),
            GreenShift = Shift(green),
            GreenSize = Size(green),
            BlueShift = Shift(blue),
            BlueSize = Size(blue),
            ReservedShift = Shift(reserved),
            ReservedSize = Size(reserved),
        };
        return FramebufferError.None;
    }

    public static string Describe(FramebufferError error) => error switch
    {
        FramebufferError.None => "valid",
        FramebufferError.NoFramebuffer => "the mode has no framebuffer (BltOnly)",
        FramebufferError.NoAddress => "the firmware reports no framebuffer address",
        FramebufferError.BadMasks => "the pixel bit masks are empty, overlap or are not contiguous",
        FramebufferError.TooSmall => "the framebuffer is smaller than stride x height x bytes per pixel",
        _ => "unknown error",
    };

    /// <summary>True when red, green and blue are present, every mask is one run of bits, and no two overlap.</summary>
    public static bool MasksAreValid(uint red, uint green, uint blue, uint reserved)
    {
        if (red == 0 || green == 0 || blue == 0)
            return false;
        if (!IsContiguous(red) || !IsContiguous(green) || !IsContiguous(blue) || !IsContiguous(reserved))
            return false;
        return (red & green) == 0 && (red & blue) == 0 && (green & blue) == 0 && ((red | green | blue) & reserved) == 0;
    }

    // A run of ones: shifted down to bit 0 it is 2^n - 1 (0 counts as contiguous: an absent reserved channel).
    private static bool IsContiguous(uint mask)
    {
        if (mask == 0)
            return true;
        uint normalized = mask >> BitOperations.TrailingZeroCount(mask);
        return (normalized & (normalized + 1)) == 0;
    }

    private static byte Shift(uint mask) => mask == 0 ? (byte)0 : (byte)BitOperations.TrailingZeroCount(mask);

    private static byte Size(uint mask) => (byte)BitOperations.PopCount(mask);
}
