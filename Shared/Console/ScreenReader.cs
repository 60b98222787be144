// Reads text back from pixels: the inverse of GlyphRenderer, by matching each
// character cell against every glyph of the font. Tests use it to check what
// a screen really shows - host tests on an in-memory framebuffer, boot tests on
// QEMU's screendump - instead of trusting the console's own idea of it.
namespace Shared.Console;

/// <summary>Pixels to read text from, as colors.</summary>
public interface IPixelSource
{
    int Width { get; }

    int Height { get; }

    Rgb this[int x, int y] { get; }
}

/// <summary>What one character cell shows.</summary>
public readonly struct CellReading
{
    public CellReading(char character, bool hasCursor, Rgb foreground, Rgb background)
    {
        Character = character;
        HasCursor = hasCursor;
        Foreground = foreground;
        Background = background;
    }

    /// <summary>The character whose glyph the cell shows, or '\0' when it matches none.</summary>
    public char Character { get; }

    /// <summary>The cell shows the cursor (CursorShape: its bottom rows drawn with the colors swapped).</summary>
    public bool HasCursor { get; }

    /// <summary>The color of the glyph's set pixels (the background color for a blank cell).</summary>
    public Rgb Foreground { get; }

    public Rgb Background { get; }
}

public static class ScreenReader
{
    /// <summary>
    /// Reads the cell whose top-left pixel is (x, y), drawn with <paramref name="font"/> at <paramref name="scale"/> on
    /// <paramref name="background"/>. A pixel counts as set when its color differs from the background; every
    /// scale x scale block must be one color, and a cell whose set pixels are not all one color matches nothing.
    /// </summary>
    public static CellReading ReadCell<TSource>(TSource source, BitmapFont font, int scale, int x, int y, Rgb background)
        where TSource : IPixelSource
    {
        int width = font.Width;
        int height = font.Height;
        bool[] set = new bool[width * height];
        Rgb foreground = background;
        bool consistent = true;
        for (int row = 0; row < height && consistent; row++)
        {
            for (int column = 0; column < width && consistent; column++)
            {
                Rgb color = source[x + (column * scale), y + (row * scale)];
                consistent = IsUniform(source, x + (column * scale), y + (row * scale), scale, color);
                if (color == background)
                    continue;
                if (foreground != background && color != foreground)
                    consistent = false;
                foreground = color;
                set[(row * width) + column] = true;
            }
        }

        if (!consistent)
            return new CellReading('\0', false, foreground, background);
        char plain = Match(font, set, invertFrom: font.Height);
        if (plain != '\0')
            return new CellReading(plain, false, foreground, background);
        char underCursor = Match(font, set, invertFrom: font.Height - CursorShape.Thickness(font));
        return new CellReading(underCursor, underCursor != '\0', foreground, background);
    }

    /// <summary>The text of one row of cells, trailing blanks removed; unreadable cells become '\0'.</summary>
    public static string ReadRow<TSource>(TSource source, BitmapFont font, int scale, int row, int columns, Rgb background)
        where TSource : IPixelSource
    {
        char[] text = new char[columns];
        int length = 0;
        for (int column = 0; column < columns; column++)
        {
            CellReading cell = ReadCell(source, font, scale, column * font.Width * scale, row * font.Height * scale, background);
            text[column] = cell.Character;
            if (cell.Character != ' ')
                length = column + 1;
        }

        return new string(text, 0, length);
    }

    private static bool IsUniform<TSource>(TSource source, int x, int y, int scale, Rgb color)
        where TSource : IPixelSource
    {
        for (int dy = 0; dy < scale; dy++)
        {
            for (int dx = 0; dx < scale; dx++)
            {
                if (source[x + dx, y + dy] != color)
                    return false;
            }
        }

        return true;
    }

    // Glyph 1 upward first, so the lowest code point wins among identical glyphs (space before no-break space);
    // the replacement glyph (0) last.
    private static char Match(BitmapFont font, bool[] set, int invertFrom)
    {
        for (int i = 1; i <= font.GlyphCount; i++)
        {
            int glyph = i % font.GlyphCount;
            if (Matches(font, glyph, set, invertFrom))
                return font.CharacterOf(glyph);
        }

        return '\0';
    }

    // Rows from 'invertFrom' on are compared with their colors swapped.
    private static bool Matches(BitmapFont font, int glyph, bool[] set, int invertFrom)
    {
        for (int row = 0; row < font.Height; row++)
        {
            bool invert = row >= invertFrom;
            for (int column = 0; column < font.Width; column++)
            {
                if (font.IsSet(glyph, column, row) != (set[(row * font.Width) + column] != invert))
                    return false;
            }
        }

        return true;
    }
}
