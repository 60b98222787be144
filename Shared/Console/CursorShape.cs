// What the console's cursor looks like: an underline, the bottom eighth of the
// cell under it drawn with its colors swapped (at least one font row), so the
// character under it stays readable. TextScreen draws it; ScreenReader
// recognizes it.
using System;

namespace Shared.Console;

public static class CursorShape
{
    /// <summary>How many font rows at the bottom of a cell the cursor inverts.</summary>
    public static int Thickness(BitmapFont font) => Math.Max(1, font.Height / 8);
}
