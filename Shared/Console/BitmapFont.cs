// A monospaced bitmap font: every glyph is Width x Height pixels, stored as
// rows top to bottom, each row in whole bytes with the leftmost pixel in the
// high bit (the PSF layout). Characters map to glyphs through a short list of
// code point ranges; glyph 0 is the replacement glyph for everything else.
using System;

namespace Shared.Console;

public sealed class BitmapFont
{
    public const int ReplacementGlyph = 0;

    private readonly byte[] _glyphs;
    private readonly ushort[] _ranges;

    // Glyph of every character below 256 (ASCII and Latin-1, nearly all console text), looked up directly.
    private readonly ushort[] _firstPage;

    /// <summary>
    /// <paramref name="glyphs"/> holds the bitmaps; <paramref name="ranges"/> is (first, last) code point pairs whose
    /// characters are glyphs 1, 2, ... in order.
    /// </summary>
    public BitmapFont(string name, int width, int height, byte[] glyphs, ushort[] ranges)
    {
        Name = name;
        Width = width;
        Height = height;
        BytesPerRow = (width + 7) / 8;
        BytesPerGlyph = BytesPerRow * height;
        _glyphs = glyphs;
        _ranges = ranges;
        GlyphCount = glyphs.Length / BytesPerGlyph;
        if (ranges.Length % 2 != 0 || GlyphCount * BytesPerGlyph != glyphs.Length || 1 + CoveredCount(ranges) != GlyphCount)
            throw new ArgumentException("glyph data and code point ranges do not match", nameof(glyphs));

        _firstPage = new ushort[256];
        for (int c = 0; c < 256; c++)
            _firstPage[c] = (ushort)SearchRanges(c);
    }

    public string Name { get; }

    public int Width { get; }

    public int Height { get; }

    public int BytesPerRow { get; }

    public int BytesPerGlyph { get; }

    public int GlyphCount { get; }

    /// <summary>The glyph that draws <paramref name="c"/>; ReplacementGlyph when the font has none.</summary>
    public int GlyphIndex(char c) => c < 256 ? _firstPage[c] : SearchRanges(c);

    public bool HasGlyph(char c) => GlyphIndex(c) != ReplacementGlyph || c == '\uFFFD';

    /// <summary>The bitmap of glyph <paramref name="index"/> (BytesPerGlyph bytes).</summary>
    public ReadOnlySpan<byte> Glyph(int index) => new ReadOnlySpan<byte>(_glyphs, index * BytesPerGlyph, BytesPerGlyph);

    /// <summary>Whether pixel (x, y) of glyph <paramref name="index"/> is set (foreground).</summary>
    public bool IsSet(int index, int x, int y)
        => (_glyphs[(index * BytesPerGlyph) + (y * BytesPerRow) + (x >> 3)] & (0x80 >> (x & 7))) != 0;

    /// <summary>The character glyph <paramref name="index"/> draws (the lowest, if several share it); U+FFFD for glyph 0.</summary>
    public char CharacterOf(int index)
    {
        int glyph = 1;
        for (int i = 0; i < _ranges.Length; i += 2)
        {
            int count = _ranges[i + 1] - _ranges[i] + 1;
            if (index >= glyph && index < glyph + count)
                return (char)(_ranges[i] + (index - glyph));
            glyph += count;
        }

        return '\uFFFD';
    }

    private int SearchRanges(int c)
    {
        if (c == 0xFFFD)
            return ReplacementGlyph;
        int glyph = 1;
        for (int i = 0; i < _ranges.Length; i += 2)
        {
            int first = _ranges[i];
            int last = _ranges[i + 1];
            if (c >= first && c <= last)
                return glyph + (c - first);
            glyph += last - first + 1;
        }

        return ReplacementGlyph;
    }

    private static int CoveredCount(ushort[] ranges)
    {
        int count = 0;
        for (int i = 0; i + 1 < ranges.Length; i += 2)
            count += ranges[i + 1] - ranges[i] + 1;
        return count;
    }
}
