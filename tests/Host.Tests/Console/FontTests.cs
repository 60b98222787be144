// The generated fonts: the characters the console promises, the replacement
// glyph for the rest, and bitmaps identical to the Terminus Font files they
// were generated from (read here independently by FontGen's PSF reader).
using FontGen;
using Shared.Console;
using Xunit;

namespace Host.Tests.Console;

public sealed class FontTests
{
    private const string Font8x16 = "/usr/share/consolefonts/Uni2-Terminus16.psf.gz";
    private const string Font16x32 = "/usr/share/consolefonts/Uni2-Terminus32x16.psf.gz";

    public static TheoryData<char> Promised => new() { 'A', 'z', '~', ' ', '\u00E9', '\u00FF', '\u00A9', '\u2500', '\u253C', '\u2554', '\u257F', '\u2588', '\u2592' };

    [Theory]
    [MemberData(nameof(Promised))]
    public void BothCellSizes_HaveAGlyph_ForAsciiLatin1AndBoxDrawing(char c)
    {
        Assert.True(Fonts.Cell8x16.HasGlyph(c));
        Assert.True(Fonts.Cell16x32.HasGlyph(c));
        Assert.Equal(c, Fonts.Cell8x16.CharacterOf(Fonts.Cell8x16.GlyphIndex(c)));
    }

    [Theory]
    [InlineData('\u4E2D')] // CJK
    [InlineData('\u0394')] // Greek (Terminus has it, the console's subset does not)
    [InlineData('\u0007')] // a control character
    [InlineData('\uD83D')] // half of a surrogate pair
    public void CharactersWithoutAGlyph_GetTheReplacementGlyph(char c)
    {
        Assert.Equal(BitmapFont.ReplacementGlyph, Fonts.Cell8x16.GlyphIndex(c));
        Assert.False(Fonts.Cell8x16.HasGlyph(c));
        Assert.Equal('\uFFFD', Fonts.Cell8x16.CharacterOf(BitmapFont.ReplacementGlyph));
    }

    [Fact]
    public void GeneratedGlyphs_AreTheSourceFontsBitmaps()
    {
        foreach ((BitmapFont font, string path) in new[] { (Fonts.Cell8x16, Font8x16), (Fonts.Cell16x32, Font16x32) })
        {
            PsfFont source = PsfFont.Load(path);
            Assert.Equal(source.Width, font.Width);
            Assert.Equal(source.Height, font.Height);
            for (int glyph = 0; glyph < font.GlyphCount; glyph++)
            {
                char c = font.CharacterOf(glyph);
                Assert.True(source.Bitmap(source.GlyphFor(c)).SequenceEqual(font.Glyph(glyph)), $"{font.Name}: glyph of U+{(int)c:X4} differs from {path}");
            }
        }
    }

    [Fact]
    public void LetterA_8x16_HasTheExpectedShape()
    {
        // Terminus 16's 'A': rows 2-11, a rounded top, the bar on row 7.
        string[] expected =
        {
            "........",
            "........",
            "..####..",
            ".#....#.",
            ".#....#.",
            ".#....#.",
            ".#....#.",
            ".######.",
            ".#....#.",
            ".#....#.",
            ".#....#.",
            ".#....#.",
            "........",
            "........",
            "........",
            "........",
        };
        BitmapFont font = Fonts.Cell8x16;
        int glyph = font.GlyphIndex('A');
        for (int y = 0; y < 16; y++)
        {
            for (int x = 0; x < 8; x++)
                Assert.Equal(expected[y][x] == '#', font.IsSet(glyph, x, y));
        }
    }

    [Theory]
    [InlineData(0, 8, 1)]
    [InlineData(1, 8, 1)]
    [InlineData(2, 16, 1)]
    [InlineData(3, 8, 3)]
    [InlineData(4, 16, 2)]
    public void ForScale_PicksTheRealLargeGlyphsForEvenScales(int scale, int fontWidth, int pixelScale)
    {
        BitmapFont font = Fonts.ForScale(scale, out int actualPixelScale);
        Assert.Equal(fontWidth, font.Width);
        Assert.Equal(pixelScale, actualPixelScale);
    }

    [Theory]
    [InlineData(1280, 1)]
    [InlineData(1919, 1)]
    [InlineData(1920, 2)]
    [InlineData(3840, 2)]
    public void AutomaticScale_IsTwoFrom1920PixelsWide(int width, int scale) => Assert.Equal(scale, Fonts.AutomaticScale(width));
}
