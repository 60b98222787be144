// What the sixteen text colors look like on screen: the classic VGA text-mode
// palette (dark colors at two thirds intensity, bright ones with a third
// added to every channel; "yellow" at low intensity is VGA's brown), so the
// console looks like the blog's VGA buffer. The defaults are gray on black.
using System;

namespace Shared.Console;

public static class ColorPalette
{
    public const TextColor DefaultForeground = TextColor.Gray;
    public const TextColor DefaultBackground = TextColor.Black;

    // R, G, B per color, in TextColor order.
    private static ReadOnlySpan<byte> Channels => new byte[]
    {
        0x00, 0x00, 0x00, // black
        0xAA, 0x00, 0x00, // red
        0x00, 0xAA, 0x00, // green
        0xAA, 0x55, 0x00, // yellow (brown)
        0x00, 0x00, 0xAA, // blue
        0xAA, 0x00, 0xAA, // magenta
        0x00, 0xAA, 0xAA, // cyan
        0xAA, 0xAA, 0xAA, // gray
        0x55, 0x55, 0x55, // dark gray
        0xFF, 0x55, 0x55, // bright red
        0x55, 0xFF, 0x55, // bright green
        0xFF, 0xFF, 0x55, // bright yellow
        0x55, 0x55, 0xFF, // bright blue
        0xFF, 0x55, 0xFF, // bright magenta
        0x55, 0xFF, 0xFF, // bright cyan
        0xFF, 0xFF, 0xFF, // white
    };

    public static Rgb ToRgb(TextColor color)
    {
        int index = ((int)color & 15) * 3;
        ReadOnlySpan<byte> channels = Channels;
        return new Rgb(channels[index], channels[index + 1], channels[index + 2]);
    }

    /// <summary>The bright variant of a dark color (what SGR 1, bold, shows); bright colors stay as they are.</summary>
    public static TextColor Brighten(TextColor color) => color < TextColor.DarkGray ? color + 8 : color;
}
