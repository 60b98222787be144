// tools/FontGen: the PSF reader on hand-made fonts, its error messages, and
// the generated source (deterministic, carrying its licence and provenance).
using System.Buffers.Binary;
using System.Text;
using FontGen;
using Xunit;

namespace Host.Tests.Console;

public sealed class FontGenTests
{
    [Fact]
    public void Psf1_WithUnicodeTable_MapsCodePointsToGlyphs()
    {
        var data = new List<byte> { 0x36, 0x04, 0x02, 4 }; // 256 glyphs, Unicode table, 4 rows
        for (int glyph = 0; glyph < 256; glyph++)
            data.AddRange(new byte[] { (byte)glyph, 0, 0, 0x80 });
        for (int glyph = 0; glyph < 256; glyph++)
        {
            if (glyph == 65)
                data.AddRange(U16(0x41, 0x391, 0xFFFE, 0x41, 0x301)); // 'A', Greek Alpha, then a sequence to skip
            if (glyph == 66)
                data.AddRange(U16(0x2500));
            data.AddRange(U16(0xFFFF));
        }

        PsfFont font = PsfFont.Parse(data.ToArray());
        Assert.Equal(("PSF1", 8, 4, 256), (font.Format, font.Width, font.Height, font.GlyphCount));
        Assert.Equal(65, font.GlyphFor('A'));
        Assert.Equal(65, font.GlyphFor(0x391));
        Assert.Equal(66, font.GlyphFor(0x2500));
        Assert.Equal(-1, font.GlyphFor(0x301)); // only inside a sequence
        Assert.Equal(new byte[] { 66, 0, 0, 0x80 }, font.Bitmap(66).ToArray());
    }

    [Fact]
    public void Psf2_WithUtf8Table_ReadsWideGlyphs()
    {
        const int width = 12, height = 3, glyphs = 3, bytesPerGlyph = 2 * height;
        var data = new byte[32 + (glyphs * bytesPerGlyph)];
        BinaryPrimitives.WriteUInt32LittleEndian(data, 0x864AB572);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(8), 32);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(12), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(16), glyphs);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(20), bytesPerGlyph);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(24), height);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(28), width);
        data[32 + bytesPerGlyph] = 0xAB; // first byte of glyph 1
        var table = new List<byte>();
        table.AddRange(Encoding.UTF8.GetBytes("?"));
        table.Add(0xFF);
        table.AddRange(Encoding.UTF8.GetBytes("é\u2502"));
        table.Add(0xFF);
        table.Add(0xFE);
        table.AddRange(Encoding.UTF8.GetBytes("x"));
        table.Add(0xFF);

        PsfFont font = PsfFont.Parse(data.Concat(table).ToArray());
        Assert.Equal(("PSF2", 12, 3, 2), (font.Format, font.Width, font.Height, font.BytesPerRow));
        Assert.Equal(1, font.GlyphFor('é'));
        Assert.Equal(1, font.GlyphFor(0x2502));
        Assert.Equal(-1, font.GlyphFor('x'));
        Assert.Equal(0xAB, font.Bitmap(1)[0]);
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3, 4 }, "not a PSF font")]
    [InlineData(new byte[] { 0x36, 0x04, 0x00, 16, 0, 0 }, "PSF1 glyph data truncated")]
    [InlineData(new byte[] { 0x72, 0xB5, 0x4A, 0x86, 0 }, "truncated PSF2 header")]
    public void Malformed_Fonts_AreRejectedWithTheReason(byte[] data, string message)
        => Assert.Contains(message, Assert.Throws<InvalidDataException>(() => PsfFont.Parse(data)).Message);

    [Fact]
    public void GeneratedSource_IsDeterministic_AndCarriesLicenceAndProvenance()
    {
        string licence = LicenceText.ExtractTerminus("/usr/share/doc/console-setup-linux/copyright.fonts.gz");
        Assert.StartsWith("Terminus Font is licensed under the SIL Open Font License, Version 1.1.", licence);
        Assert.Contains("Dimitar Toshkov Zhekov", licence);

        var fonts = new[]
        {
            new FontSource("/usr/share/consolefonts/Uni2-Terminus16.psf.gz", PsfFont.Load("/usr/share/consolefonts/Uni2-Terminus16.psf.gz"), "s_a"),
            new FontSource("/usr/share/consolefonts/Uni2-Terminus32x16.psf.gz", PsfFont.Load("/usr/share/consolefonts/Uni2-Terminus32x16.psf.gz"), "s_b"),
        };
        string first = FontSourceWriter.Write(fonts, licence);
        string second = FontSourceWriter.Write(fonts, licence);
        Assert.Equal(first, second);
        Assert.Contains("SIL OPEN FONT LICENSE Version 1.1", first);
        Assert.Contains("Uni2-Terminus16.psf.gz (PSF1, 512 glyphs)", first);
        Assert.Contains("SHA-256 ", first);
        Assert.Contains("// 0: U+FFFD", first);
    }

    private static IEnumerable<byte> U16(params int[] values)
        => values.SelectMany(v => new[] { (byte)v, (byte)(v >> 8) });
}
