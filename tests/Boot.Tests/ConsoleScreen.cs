// Reading the kernel console back from a QEMU screendump: the PPM image as a
// pixel source for Shared/Console's ScreenReader, the text of every character
// row, and what serial says the screen should show (the kernel's lines, each
// wrapped at the screen's width, the last screenful of them).
using Boot.Tests.Harness;
using Shared.Console;

namespace Boot.Tests;

public sealed class ConsoleScreen
{
    private readonly PpmImage _image;

    public ConsoleScreen(PpmImage image, int scale)
    {
        _image = image;
        Font = Fonts.ForScale(scale, out int pixelScale);
        PixelScale = pixelScale;
        Columns = image.Width / CellWidth;
        Rows = image.Height / CellHeight;
        Background = ColorPalette.ToRgb(ColorPalette.DefaultBackground);
    }

    public BitmapFont Font { get; }

    public int PixelScale { get; }

    public int CellWidth => Font.Width * PixelScale;

    public int CellHeight => Font.Height * PixelScale;

    public int Columns { get; }

    public int Rows { get; }

    public Rgb Background { get; }

    /// <summary>The text of every character row, trailing blanks removed; '\0' marks a cell that matches no glyph.</summary>
    public string[] ReadRows()
        => Enumerable.Range(0, Rows).Select(row => ScreenReader.ReadRow(new PpmPixelSource(_image), Font, PixelScale, row, Columns, Background)).ToArray();

    public CellReading ReadCell(int column, int row)
        => ScreenReader.ReadCell(new PpmPixelSource(_image), Font, PixelScale, column * CellWidth, row * CellHeight, Background);

    /// <summary>The distinct glyph colors of the cells of a row that hold something other than a blank.</summary>
    public IReadOnlySet<Rgb> GlyphColors(int row, int firstColumn, int count)
        => Enumerable.Range(firstColumn, count).Select(c => ReadCell(c, row)).Where(c => c.Character != ' ').Select(c => c.Foreground).ToHashSet();

    /// <summary>
    /// The kernel's serial lines (everything after the loader's jump) as the screen would show them: wrapped at
    /// <paramref name="columns"/>, the last <paramref name="rows"/> rows. The final empty line is the cursor's row.
    /// </summary>
    public static string[] ExpectedFromSerial(string serial, int columns, int rows)
    {
        const string Jump = "loader: jumping to the kernel";
        string kernel = serial.Replace("\r", "");
        int start = kernel.IndexOf(Jump, StringComparison.Ordinal);
        if (start >= 0)
            kernel = kernel[(kernel.IndexOf('\n', start) + 1)..];

        var physical = new List<string>();
        foreach (string line in kernel.Split('\n'))
        {
            if (line.Length == 0)
                physical.Add("");
            for (int i = 0; i < line.Length; i += columns)
                physical.Add(line.Substring(i, Math.Min(columns, line.Length - i)));
        }

        return physical.Skip(Math.Max(0, physical.Count - rows)).Select(r => r.TrimEnd(' ')).ToArray();
    }
}
