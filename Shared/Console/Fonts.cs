// The console's fonts: glyphs derived from the Terminus Font (SIL Open Font
// License 1.1) in two cell sizes, generated at build time by tools/FontGen
// into the other half of this partial class (artifacts/obj/font/FontData.g.cs,
// whose header records the source files, their hashes and the licence).
// Large screens get a bigger cell: 16x32 glyphs drawn by the real 16x32
// design where the scale allows, 8x16 glyphs multiplied otherwise.
namespace Shared.Console;

public static partial class Fonts
{
    private static BitmapFont s_cell8x16;
    private static BitmapFont s_cell16x32;

    /// <summary>8x16 cells (Terminus 16).</summary>
    public static BitmapFont Cell8x16 => s_cell8x16 ??= new BitmapFont("Terminus 8x16", 8, 16, s_cell8x16Glyphs, s_ranges);

    /// <summary>16x32 cells (Terminus 32x16), the same characters drawn twice as large.</summary>
    public static BitmapFont Cell16x32 => s_cell16x32 ??= new BitmapFont("Terminus 16x32", 16, 32, s_cell16x32Glyphs, s_ranges);

    /// <summary>
    /// The font and integer pixel multiplier that give cells of 8*scale x 16*scale pixels: for even scales the
    /// 16x32 glyphs (a real design for large text), otherwise the 8x16 glyphs multiplied.
    /// </summary>
    public static BitmapFont ForScale(int scale, out int pixelScale)
    {
        if (scale >= 2 && scale % 2 == 0)
        {
            pixelScale = scale / 2;
            return Cell16x32;
        }

        pixelScale = scale < 1 ? 1 : scale;
        return Cell8x16;
    }

    /// <summary>The scale the console uses when the configuration says 0 (auto): 2 from 1920 pixels wide up, else 1.</summary>
    public static int AutomaticScale(int screenWidth) => screenWidth >= 1920 ? 2 : 1;
}
