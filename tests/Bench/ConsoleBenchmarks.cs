// The console's rendering speed, on the host: the same Shared/Console code
// the kernel runs, drawing into a byte array shaped like OVMF's std-VGA
// framebuffer (1280x800, 32-bit BGRx). Each figure stands beside its floor or
// peer measured in the same run:
//   full-screen scroll         vs memcpy of the same bytes (the floor: a scroll moves that much)
//   glyphs/s from row tables   vs a per-pixel renderer (the obvious alternative)
//                              and vs memcpy of the glyphs' pixel bytes (the floor)
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Shared.Console;

namespace Bench;

public sealed unsafe class ConsoleBenchmarks : IBenchmark
{
    private const int Width = 1280;
    private const int Height = 800;
    private static readonly TimeSpan s_minimumTime = TimeSpan.FromMilliseconds(300);

    public string Name => "console";

    public IEnumerable<BenchmarkResult> Run(BenchmarkContext context)
    {
        // Pinned arrays (never moved), so their addresses stay valid for the surface and the copies.
        byte[] memory = GC.AllocateArray<byte>(Width * Height * 4, pinned: true);
        byte[] copy = GC.AllocateArray<byte>(Width * Height * 4, pinned: true);
        byte* pixels = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(memory));
        byte* other = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(copy));
        PixelSurface.TryCreate(pixels, Width, Height, Width * 4, PixelLayout.Bgrx, out PixelSurface surface);

        var rows = new List<BenchmarkResult>();
        rows.AddRange(Scroll(context, surface, pixels, other));
        rows.AddRange(Glyphs(context, surface, Fonts.Cell8x16, pixels, other));
        rows.AddRange(Glyphs(context, surface, Fonts.Cell16x32, pixels, other));
        GC.KeepAlive(memory);
        GC.KeepAlive(copy);
        return rows;
    }

    private static BenchmarkResult[] Scroll(BenchmarkContext context, PixelSurface surface, byte* pixels, byte* other)
    {
        var screen = new TextScreen(new GlyphRenderer(surface, Fonts.Cell8x16, 1));
        for (int row = 0; row < screen.Rows; row++)
            screen.Write(new string((char)('A' + (row % 26)), screen.Columns - 1) + "\n");

        // A scroll moves every text row but the first up by one: (rows - 1) * cell height pixel rows.
        long movedBytes = (long)(screen.Rows - 1) * screen.CellHeight * Width * 4;
        double scroll = Median(context, () => screen.Write("\n"));
        double memcpy = Median(context, () => Buffer.MemoryCopy(pixels, other, movedBytes, movedBytes));
        return new[]
        {
            new BenchmarkResult(
                $"full-screen scroll, {Width}x{Height} 32 bpp ({screen.Columns}x{screen.Rows} text, {movedBytes / 1024.0 / 1024.0:F1} MiB moved)",
                $"{scroll * 1e6:F0} us",
                "memcpy of the same bytes",
                $"{memcpy * 1e6:F0} us",
                $"{scroll / memcpy:F2}x the floor"),
        };
    }

    private static BenchmarkResult[] Glyphs(BenchmarkContext context, PixelSurface surface, BitmapFont font, byte* pixels, byte* other)
    {
        var renderer = new GlyphRenderer(surface, font, 1);
        var screen = new TextScreen(renderer);
        string line = "\r" + string.Concat(Enumerable.Range(0, screen.Columns).Select(i => (char)(' ' + 1 + (i % 94))));
        int glyphsPerLine = screen.Columns;
        double tables = Median(context, () => screen.Write(line));

        uint foreground = surface.Layout.Encode(ColorPalette.ToRgb(TextColor.Gray));
        uint background = surface.Layout.Encode(ColorPalette.ToRgb(TextColor.Black));
        double perPixel = Median(context, () =>
        {
            for (int i = 0; i < glyphsPerLine; i++)
                DrawPerPixel(surface, font, i * font.Width, 0, font.GlyphIndex(line[1 + i]), foreground, background);
        });

        long glyphBytes = (long)font.Width * font.Height * 4 * glyphsPerLine;
        double memcpy = Median(context, () => Buffer.MemoryCopy(other, pixels, glyphBytes, glyphBytes));

        double rate = glyphsPerLine / tables;
        string name = $"glyphs/s, {font.Name} cells via TextScreen (row tables)";
        return new[]
        {
            new BenchmarkResult(name, $"{rate / 1e6:F2} M/s", "per-pixel renderer (bit test per pixel)", $"{glyphsPerLine / perPixel / 1e6:F2} M/s", $"{perPixel / tables:F1}x faster"),
            new BenchmarkResult(name, $"{rate / 1e6:F2} M/s", "memcpy of the glyphs' pixel bytes", $"{glyphsPerLine / memcpy / 1e6:F2} M/s", $"{tables / memcpy:F2}x the floor"),
        };
    }

    // The obvious renderer the row tables replace: test each bit, store each pixel.
    private static void DrawPerPixel(PixelSurface surface, BitmapFont font, int x, int y, int glyph, uint foreground, uint background)
    {
        for (int row = 0; row < font.Height; row++)
        {
            for (int column = 0; column < font.Width; column++)
                PixelSurface.Store(surface.Address(x + column, y + row), font.IsSet(glyph, column, row) ? foreground : background, 4);
        }
    }

    // Seconds per call: repeated until s_minimumTime has passed, median over the context's repetitions.
    private static double Median(BenchmarkContext context, Action action)
    {
        action();
        var samples = new List<double>();
        for (int repetition = 0; repetition < context.Repetitions; repetition++)
        {
            var watch = Stopwatch.StartNew();
            long calls = 0;
            while (watch.Elapsed < s_minimumTime)
            {
                action();
                calls++;
            }

            samples.Add(watch.Elapsed.TotalSeconds / calls);
        }

        return BenchmarkContext.Median(samples);
    }
}
