// Draws glyphs into a pixel surface from precomputed rows. For a color pair,
// a row table holds, for each of the 256 values a byte of glyph bitmap can
// take, the finished pixels of those 8 font pixels (scaled and encoded for the
// surface). Drawing a glyph row is then one table lookup and one block copy
// per bitmap byte, repeated for each of the scale's pixel rows; nothing is
// decided per pixel. Tables for the last few color pairs are kept, since text
// switches between a handful of colors.
using System;

namespace Shared.Console;

public sealed unsafe class GlyphRenderer
{
    private const int CachedColorPairs = 4;

    private readonly PixelSurface _surface;
    private readonly BitmapFont _font;
    private readonly int _scale;

    // Bytes of finished pixels for one bitmap byte: 8 font pixels, each 'scale' pixels wide.
    private readonly int _entryBytes;
    private readonly RowTable[] _tables = new RowTable[CachedColorPairs];
    private int _nextEvicted;

    public GlyphRenderer(PixelSurface surface, BitmapFont font, int scale)
    {
        if (!surface.IsValid || scale < 1 || scale > 8)
            throw new ArgumentOutOfRangeException(nameof(scale), "a glyph renderer needs a surface and a scale from 1 to 8");
        _surface = surface;
        _font = font;
        _scale = scale;
        _entryBytes = 8 * scale * surface.BytesPerPixel;
    }

    public PixelSurface Surface => _surface;

    public BitmapFont Font => _font;

    public int Scale => _scale;

    public int CellWidth => _font.Width * _scale;

    public int CellHeight => _font.Height * _scale;

    /// <summary>
    /// Draws glyph <paramref name="glyph"/> with its top-left corner at pixel (x, y), which must leave room for a
    /// whole cell. The last <paramref name="invertedRows"/> font rows are drawn with the colors swapped (the cursor).
    /// </summary>
    public void DrawGlyph(int x, int y, int glyph, uint foreground, uint background, int invertedRows = 0)
    {
        if (x < 0 || y < 0 || x + CellWidth > _surface.Width || y + CellHeight > _surface.Height || (uint)glyph >= (uint)_font.GlyphCount)
            throw new ArgumentOutOfRangeException(nameof(glyph), "glyph cell outside the surface, or no such glyph");

        int firstInverted = _font.Height - invertedRows;
        byte* destination = _surface.Address(x, y);
        fixed (byte* table = TableFor(foreground, background))
            DrawRows(destination, glyph, 0, firstInverted, table);
        if (invertedRows > 0)
        {
            fixed (byte* table = TableFor(background, foreground))
                DrawRows(destination, glyph, firstInverted, _font.Height, table);
        }
    }

    // Font rows [first, end) of a glyph whose cell starts at 'cell', from a row table.
    private void DrawRows(byte* cell, int glyph, int first, int end, byte* table)
    {
        ReadOnlySpan<byte> bitmap = _font.Glyph(glyph);
        int bytesPerRow = _font.BytesPerRow;
        int pitch = _surface.Pitch;
        int lastEntryBytes = (_font.Width - (8 * (bytesPerRow - 1))) * _scale * _surface.BytesPerPixel;
        byte* destination = cell + ((long)first * _scale * pitch);
        if (_scale == 1 && _entryBytes == 32 && lastEntryBytes == 32)
        {
            // The common case (32-bit pixels, no scaling): each bitmap byte is 32 bytes of pixels, four word moves.
            for (int row = first; row < end; row++, destination += pitch)
            {
                for (int column = 0; column < bytesPerRow; column++)
                {
                    ulong* pixels = (ulong*)(table + (bitmap[(row * bytesPerRow) + column] * 32));
                    ulong* target = (ulong*)(destination + (column * 32));
                    target[0] = pixels[0];
                    target[1] = pixels[1];
                    target[2] = pixels[2];
                    target[3] = pixels[3];
                }
            }

            return;
        }

        for (int row = first; row < end; row++)
        {
            for (int column = 0; column < bytesPerRow; column++)
            {
                byte* pixels = table + (bitmap[(row * bytesPerRow) + column] * _entryBytes);
                byte* target = destination + (column * _entryBytes);
                int bytes = column == bytesPerRow - 1 ? lastEntryBytes : _entryBytes;
                for (int repeat = 0; repeat < _scale; repeat++)
                    Copy(target + (repeat * pitch), pixels, bytes);
            }

            destination += pitch * _scale;
        }
    }

    /// <summary>Fills a cell-sized rectangle at pixel (x, y) with one encoded pixel value.</summary>
    public void FillCell(int x, int y, uint pixel) => _surface.FillRectangle(x, y, CellWidth, CellHeight, pixel);

    private byte[] TableFor(uint foreground, uint background)
    {
        for (int i = 0; i < CachedColorPairs; i++)
        {
            RowTable cached = _tables[i];
            if (cached is not null && cached.Foreground == foreground && cached.Background == background)
                return cached.Pixels;
        }

        RowTable table = _tables[_nextEvicted] ??= new RowTable(new byte[256 * _entryBytes]);
        _nextEvicted = (_nextEvicted + 1) % CachedColorPairs;
        Build(table, foreground, background);
        return table.Pixels;
    }

    private void Build(RowTable table, uint foreground, uint background)
    {
        int bytesPerPixel = _surface.BytesPerPixel;
        fixed (byte* start = table.Pixels)
        {
            byte* entry = start;
            for (int bits = 0; bits < 256; bits++)
            {
                for (int pixel = 0; pixel < 8; pixel++)
                {
                    uint value = (bits & (0x80 >> pixel)) != 0 ? foreground : background;
                    for (int repeat = 0; repeat < _scale; repeat++)
                    {
                        PixelSurface.Store(entry, value, bytesPerPixel);
                        entry += bytesPerPixel;
                    }
                }
            }
        }

        table.Foreground = foreground;
        table.Background = background;
    }

    // Glyph rows are short (32 bytes for 8 pixels of 32 bits): a word loop beats a call to a general memmove.
    private static void Copy(byte* destination, byte* source, int bytes)
    {
        int i = 0;
        for (; i + 8 <= bytes; i += 8)
            *(ulong*)(destination + i) = *(ulong*)(source + i);
        for (; i < bytes; i++)
            destination[i] = source[i];
    }

    private sealed class RowTable
    {
        public RowTable(byte[] pixels) => Pixels = pixels;

        public byte[] Pixels { get; }

        public uint Foreground { get; set; }

        public uint Background { get; set; }
    }
}
