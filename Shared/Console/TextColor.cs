// The console's sixteen colors, numbered as ANSI numbers them: color n is
// SGR 30+n (foreground) / 40+n (background) for n < 8, and 90+(n-8) /
// 100+(n-8) for the bright half. ColorPalette says what they look like.
namespace Shared.Console;

public enum TextColor : byte
{
    Black = 0,
    Red = 1,
    Green = 2,
    Yellow = 3,
    Blue = 4,
    Magenta = 5,
    Cyan = 6,
    Gray = 7,
    DarkGray = 8,
    BrightRed = 9,
    BrightGreen = 10,
    BrightYellow = 11,
    BrightBlue = 12,
    BrightMagenta = 13,
    BrightCyan = 14,
    White = 15,
}
