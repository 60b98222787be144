// TextScreen: the text grid, cursor, wrapping and scrolling, checked on the
// cells and on the pixels (read back with ScreenReader).
using Shared.Console;
using Xunit;

namespace Host.Tests.Console;

public sealed class TextScreenTests
{
    private static readonly Rgb s_black = ColorPalette.ToRgb(TextColor.Black);

    [Fact]
    public void Write_DrawsTheTextAtTheCursor_AndAdvancesIt()
    {
        TextScreen screen = TestFramebuffer.Screen(20, 4, PixelLayout.Bgrx, 1, 0, out TestFramebuffer framebuffer);
        screen.Write("Hello, kernel");
        Assert.Equal("Hello, kernel", screen.RowText(0));
        Assert.Equal("Hello, kernel", ReadRow(framebuffer, screen, 0));
        Assert.Equal(13, screen.CursorColumn);
        Assert.Equal(0, screen.CursorRow);
    }

    [Fact]
    public void Newline_GoesToColumnZeroOfTheNextRow()
    {
        TextScreen screen = TestFramebuffer.Screen(20, 4, PixelLayout.Rgbx);
        screen.Write("one\ntwo\r\nthree");
        Assert.Equal(new[] { "one", "two", "three", "" }, Rows(screen));
        Assert.Equal(2, screen.CursorRow);
        Assert.Equal(5, screen.CursorColumn);
    }

    [Fact]
    public void WritingTheLastColumn_WrapsOnlyWhenTheNextCharacterComes()
    {
        TextScreen screen = TestFramebuffer.Screen(10, 4, PixelLayout.Rgbx, 1, 0, out TestFramebuffer framebuffer);
        screen.Write("0123456789");
        Assert.Equal(10, screen.CursorColumn); // pending wrap: still on row 0
        Assert.Equal(0, screen.CursorRow);

        screen.Write("\nnext");
        Assert.Equal(new[] { "0123456789", "next", "", "" }, Rows(screen)); // no empty line in between

        screen.Write("\n0123456789ABC");
        Assert.Equal(new[] { "0123456789", "next", "0123456789", "ABC" }, Rows(screen));
        Assert.Equal("0123456789", ReadRow(framebuffer, screen, 2));
        Assert.Equal("ABC", ReadRow(framebuffer, screen, 3));
    }

    [Fact]
    public void WritingBelowTheLastRow_ScrollsAndKeepsTheRightLines()
    {
        TextScreen screen = TestFramebuffer.Screen(16, 5, PixelLayout.Bgrx, 1, 0, out TestFramebuffer framebuffer);
        for (int i = 1; i <= 12; i++)
            screen.Write($"line {i}\n");

        string[] expected = { "line 9", "line 10", "line 11", "line 12", "" };
        Assert.Equal(expected, Rows(screen));
        for (int row = 0; row < 5; row++)
            Assert.Equal(expected[row], ReadRow(framebuffer, screen, row));
        Assert.Equal(4, screen.CursorRow);
    }

    [Fact]
    public void Scrolling_WithStridePadding_LeavesThePaddingUntouched()
    {
        TextScreen screen = TestFramebuffer.Screen(12, 4, PixelLayout.Rgbx, 1, padding: 36, out TestFramebuffer framebuffer);
        for (int i = 0; i < 40; i++)
            screen.Write($"padding test {i} \u2502 \x1b[44m blue \x1b[0m\t|\n");
        screen.Write("\x1b[2J");
        screen.Clear();
        Assert.All(framebuffer.PaddingBytes(), b => Assert.Equal(TestFramebuffer.Sentinel, b));
    }

    [Fact]
    public void Margins_RightAndBelowTheGrid_AreClearedButNeverWrittenWithText()
    {
        // 8x16 cells on a 100x50 surface: 12 columns (96 pixels), 3 rows (48 pixels), margins of 4 and 2 pixels.
        var framebuffer = new TestFramebuffer(100, 50, PixelLayout.Rgbx);
        var screen = new TextScreen(new GlyphRenderer(framebuffer.Surface, Fonts.Cell8x16, 1));
        Assert.Equal(12, screen.Columns);
        Assert.Equal(3, screen.Rows);
        for (int i = 0; i < 10; i++)
            screen.Write(new string('\u2588', 30) + "\n");
        for (int y = 0; y < 50; y++)
        {
            for (int x = 0; x < 100; x++)
            {
                if (x >= 96 || y >= 48)
                    Assert.Equal(s_black, framebuffer[x, y]);
            }
        }
    }

    [Fact]
    public void CarriageReturn_Tab_AndBackspace_MoveTheCursor()
    {
        TextScreen screen = TestFramebuffer.Screen(30, 3, PixelLayout.Rgbx);
        screen.Write("abcdef\rXY");
        Assert.Equal("XYcdef", screen.RowText(0));

        screen.Write("\n1\t2\t\t3");
        Assert.Equal("1       2               3", screen.RowText(1));
        Assert.Equal(25, screen.CursorColumn);

        screen.Write("\nabc\b\bZ");
        Assert.Equal("aZc", screen.RowText(2));
        screen.Write("\b\b\b\b\b");
        Assert.Equal(0, screen.CursorColumn); // stops at column 0
    }

    [Fact]
    public void Tab_NearTheEnd_StopsAtTheLastColumn()
    {
        TextScreen screen = TestFramebuffer.Screen(10, 3, PixelLayout.Rgbx);
        screen.Write("12345678\t");
        Assert.Equal(10, screen.CursorColumn);
        Assert.Equal(0, screen.CursorRow);
        screen.Write("x");
        Assert.Equal("x", screen.RowText(1));
    }

    [Fact]
    public void Backspace_AfterThePendingWrap_StaysOnTheLine()
    {
        TextScreen screen = TestFramebuffer.Screen(5, 3, PixelLayout.Rgbx);
        screen.Write("abcde\b\bX");
        Assert.Equal(new[] { "abcXe", "", "" }, Rows(screen));
    }

    [Fact]
    public void Clear_BlanksEveryCell_AndHomesTheCursor()
    {
        TextScreen screen = TestFramebuffer.Screen(10, 3, PixelLayout.Rgbx, 1, 0, out TestFramebuffer framebuffer);
        screen.Write("abc\ndef\nghi");
        screen.Clear();
        Assert.Equal(new[] { "", "", "" }, Rows(screen));
        Assert.Equal((0, 0), (screen.CursorColumn, screen.CursorRow));
        Assert.Equal("", ReadRow(framebuffer, screen, 1));
    }

    [Fact]
    public void Cursor_UnderlinesTheCellUnderIt_AndMovesWithTheText()
    {
        TextScreen screen = TestFramebuffer.Screen(10, 3, PixelLayout.Rgbx, 1, 0, out TestFramebuffer framebuffer);
        screen.Write("ab");
        CellReading atCursor = ScreenReader.ReadCell(framebuffer, Fonts.Cell8x16, 1, 2 * 8, 0, s_black);
        Assert.True(atCursor.HasCursor);
        Assert.Equal(' ', atCursor.Character);
        Assert.Equal(ColorPalette.ToRgb(ColorPalette.DefaultForeground), atCursor.Foreground);

        screen.Write("\r");
        CellReading movedTo = ScreenReader.ReadCell(framebuffer, Fonts.Cell8x16, 1, 0, 0, s_black);
        Assert.True(movedTo.HasCursor);
        Assert.Equal('a', movedTo.Character);
        CellReading left = ScreenReader.ReadCell(framebuffer, Fonts.Cell8x16, 1, 2 * 8, 0, s_black);
        Assert.False(left.HasCursor); // the old position was restored
        Assert.Equal(' ', left.Character);

        screen.CursorVisible = false;
        Assert.False(ScreenReader.ReadCell(framebuffer, Fonts.Cell8x16, 1, 0, 0, s_black).HasCursor);
    }

    [Fact]
    public void UnknownCharacters_ShowTheReplacementGlyph_OneCellPerCharacter()
    {
        TextScreen screen = TestFramebuffer.Screen(10, 2, PixelLayout.Rgbx, 1, 0, out TestFramebuffer framebuffer);
        screen.Write("a\u4E2Db\U0001F600c");
        Assert.Equal("a\u4E2Db\uD83Dc", screen.RowText(0));
        Assert.Equal("a\uFFFDb\uFFFDc", ReadRow(framebuffer, screen, 0));
        Assert.Equal(5, screen.CursorColumn);
    }

    [Fact]
    public void Latin1AndBoxDrawing_AreDrawnWithTheirOwnGlyphs()
    {
        TextScreen screen = TestFramebuffer.Screen(12, 2, PixelLayout.Bgrx, 1, 0, out TestFramebuffer framebuffer);
        screen.Write("\u250C\u2500\u2510 caf\u00E9 \u00A9");
        Assert.Equal("\u250C\u2500\u2510 caf\u00E9 \u00A9", ReadRow(framebuffer, screen, 0));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void ScaledScreens_DrawAndScrollAlike(int scale)
    {
        TextScreen screen = TestFramebuffer.Screen(8, 3, PixelLayout.Rgbx, scale, 8, out TestFramebuffer framebuffer);
        BitmapFont font = Fonts.ForScale(scale, out int pixelScale);
        screen.Write("first\nsecond\nthird\nfourth");
        Assert.Equal(new[] { "second", "third", "fourth" }, Rows(screen));
        for (int row = 0; row < 2; row++)
            Assert.Equal(screen.RowText(row), ScreenReader.ReadRow(framebuffer, font, pixelScale, row, screen.Columns, s_black));
        Assert.All(framebuffer.PaddingBytes(), b => Assert.Equal(TestFramebuffer.Sentinel, b));
    }

    [Fact]
    public void Recover_AfterAnAbandonedEscapeSequence_PrintsNormallyInDefaultColors()
    {
        TextScreen screen = TestFramebuffer.Screen(20, 3, PixelLayout.Rgbx);
        screen.Write("\x1b[31mred\x1b[1;4"); // a write that stopped inside a sequence
        screen.Recover();
        screen.Write("PANIC");
        Assert.Equal("redPANIC", screen.RowText(0));
        Assert.Equal(ColorPalette.DefaultForeground, screen[3, 0].Foreground);
    }

    private static string[] Rows(TextScreen screen) => Enumerable.Range(0, screen.Rows).Select(screen.RowText).ToArray();

    private static string ReadRow(TestFramebuffer framebuffer, TextScreen screen, int row)
        => ScreenReader.ReadRow(framebuffer, screen.Renderer.Font, screen.Renderer.Scale, row, screen.Columns, s_black);
}
