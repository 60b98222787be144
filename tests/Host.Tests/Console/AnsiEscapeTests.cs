// The ANSI subset: the parser on its own, and SGR colors, erasing and cursor
// positioning as the screen applies them (down to the pixels' colors).
using Shared.Console;
using Xunit;

namespace Host.Tests.Console;

public sealed class AnsiEscapeTests
{
    [Fact]
    public void Parser_SplitsPrintableControlsAndSequences()
    {
        var parser = new AnsiParser();
        var actions = "a\n\x1b[1;31mb".Select(c => parser.Feed(c)).ToArray();
        Assert.Equal(
            new[] { AnsiAction.Print, AnsiAction.Control, AnsiAction.None, AnsiAction.None, AnsiAction.None, AnsiAction.None, AnsiAction.None, AnsiAction.None, AnsiAction.ControlSequence, AnsiAction.Print },
            actions);
        Assert.Equal('m', parser.Final);
        Assert.Equal(2, parser.ParameterCount);
        Assert.Equal(1, parser.Parameter(0, -1));
        Assert.Equal(31, parser.Parameter(1, -1));
    }

    [Theory]
    [InlineData("\x1b[m", 0, -1, -1)]
    [InlineData("\x1b[;5H", 2, -1, 5)]
    [InlineData("\x1b[12;H", 2, 12, -1)]
    [InlineData("\x1b[99999999m", 1, 9999, -1)]
    public void Parser_ReportsMissingAndOversizedParameters(string sequence, int count, int first, int second)
    {
        var parser = new AnsiParser();
        AnsiAction last = AnsiAction.None;
        foreach (char c in sequence)
            last = parser.Feed(c);
        Assert.Equal(AnsiAction.ControlSequence, last);
        Assert.Equal(count, parser.ParameterCount);
        Assert.Equal(first, parser.Parameter(0, -1));
        Assert.Equal(second, parser.Parameter(1, -1));
    }

    [Theory]
    [InlineData("\x1b[?25l")]   // private marker (hide cursor in xterm)
    [InlineData("\x1b[1 q")]    // intermediate byte
    [InlineData("\x1b" + "c")]  // not a control sequence
    [InlineData("\x1b[1;3\x18")] // cancelled
    public void Parser_SwallowsWhatItDoesNotSupport(string sequence)
    {
        TextScreen screen = TestFramebuffer.Screen(20, 2, PixelLayout.Rgbx);
        screen.Write("<" + sequence + ">");
        Assert.Equal("<>", screen.RowText(0));
    }

    [Fact]
    public void Parser_ExecutesControlCharactersInsideASequence()
    {
        TextScreen screen = TestFramebuffer.Screen(20, 3, PixelLayout.Rgbx);
        screen.Write("ab\x1b[3\n1mcd");
        Assert.Equal("ab", screen.RowText(0));
        Assert.Equal("cd", screen.RowText(1));
        Assert.Equal(TextColor.Red, screen[0, 1].Foreground);
    }

    [Fact]
    public void Sgr_SetsForegroundAndBackground_InCellsAndPixels()
    {
        TextScreen screen = TestFramebuffer.Screen(20, 2, PixelLayout.Bgrx, 1, 0, out TestFramebuffer framebuffer);
        screen.Write("\x1b[31;44mX\x1b[92;103mY\x1b[39;49mZ");
        Assert.Equal((TextColor.Red, TextColor.Blue), Colors(screen[0, 0]));
        Assert.Equal((TextColor.BrightGreen, TextColor.BrightYellow), Colors(screen[1, 0]));
        Assert.Equal((ColorPalette.DefaultForeground, ColorPalette.DefaultBackground), Colors(screen[2, 0]));

        CellReading x = ScreenReader.ReadCell(framebuffer, Fonts.Cell8x16, 1, 0, 0, ColorPalette.ToRgb(TextColor.Blue));
        Assert.Equal('X', x.Character);
        Assert.Equal(ColorPalette.ToRgb(TextColor.Red), x.Foreground);
        CellReading y = ScreenReader.ReadCell(framebuffer, Fonts.Cell8x16, 1, 8, 0, ColorPalette.ToRgb(TextColor.BrightYellow));
        Assert.Equal('Y', y.Character);
        Assert.Equal(ColorPalette.ToRgb(TextColor.BrightGreen), y.Foreground);
    }

    [Fact]
    public void Sgr_BoldBrightensAndReverseSwaps_AndZeroResets()
    {
        TextScreen screen = TestFramebuffer.Screen(20, 2, PixelLayout.Rgbx);
        screen.Write("\x1b[1;32ma\x1b[22mb\x1b[7mc\x1b[27md\x1b[0;1me\x1b[mf");
        Assert.Equal((TextColor.BrightGreen, TextColor.Black), Colors(screen[0, 0]));
        Assert.Equal((TextColor.Green, TextColor.Black), Colors(screen[1, 0]));
        Assert.Equal((TextColor.Black, TextColor.Green), Colors(screen[2, 0]));
        Assert.Equal((TextColor.Green, TextColor.Black), Colors(screen[3, 0]));
        Assert.Equal((TextColor.White, TextColor.Black), Colors(screen[4, 0]));
        Assert.Equal((TextColor.Gray, TextColor.Black), Colors(screen[5, 0]));
    }

    [Fact]
    public void EraseInLine_ClearsFromTheCursor_InTheCurrentBackground()
    {
        TextScreen screen = TestFramebuffer.Screen(10, 2, PixelLayout.Rgbx, 1, 0, out TestFramebuffer framebuffer);
        screen.Write("abcdefgh\r\x1b[3C");
        screen.Write("abcdefgh\x1b[4G"); // unsupported final: ignored
        screen.Write("\rabc\x1b[41m\x1b[K");
        Assert.Equal("abc", screen.RowText(0));
        Assert.Equal(TextColor.Red, screen[5, 0].Background);
        Assert.Equal(ColorPalette.ToRgb(TextColor.Red), framebuffer[6 * 8, 3]);

        screen.Write("\x1b[0m\rXYZ\x1b[1K");
        Assert.Equal(' ', screen[2, 0].Character);
        screen.Write("\x1b[2K");
        Assert.Equal("", screen.RowText(0));
    }

    [Fact]
    public void EraseInDisplay_AndCursorPosition_ClearAndMove()
    {
        TextScreen screen = TestFramebuffer.Screen(10, 4, PixelLayout.Rgbx);
        screen.Write("row0\nrow1\nrow2\nrow3");
        screen.Write("\x1b[2;3H");
        Assert.Equal((2, 1), (screen.CursorColumn, screen.CursorRow));
        screen.Write("\x1b[J");
        Assert.Equal(new[] { "row0", "ro", "", "" }, Enumerable.Range(0, 4).Select(screen.RowText));
        screen.Write("\x1b[1J");
        Assert.Equal(new[] { "", "", "", "" }, Enumerable.Range(0, 4).Select(screen.RowText));
        screen.Write("a\x1b[99;99Hz\x1b[HX\x1b[2J");
        Assert.Equal(new[] { "", "", "", "" }, Enumerable.Range(0, 4).Select(screen.RowText));
        Assert.Equal((1, 0), (screen.CursorColumn, screen.CursorRow)); // ED 2 does not move the cursor
    }

    private static (TextColor, TextColor) Colors(Cell cell) => (cell.Foreground, cell.Background);
}
