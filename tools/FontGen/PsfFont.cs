// Reads a PC Screen Font (PSF1 or PSF2, optionally gzip-compressed): the
// bitmap console fonts Linux's kbd and Debian's console-setup ship. A PSF file
// is a header, the glyph bitmaps (rows top to bottom, each row whole bytes with
// the leftmost pixel in the most significant bit), and an optional Unicode
// table saying which code points each glyph draws.
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace FontGen;

public sealed class PsfFont
{
    private const ushort Psf1Magic = 0x0436;
    private const uint Psf2Magic = 0x864AB572;

    private readonly byte[] _bitmaps;
    private readonly Dictionary<int, int> _glyphByCodePoint;

    private PsfFont(string format, int width, int height, int glyphCount, byte[] bitmaps, Dictionary<int, int> glyphByCodePoint)
    {
        Format = format;
        Width = width;
        Height = height;
        GlyphCount = glyphCount;
        _bitmaps = bitmaps;
        _glyphByCodePoint = glyphByCodePoint;
    }

    /// <summary>"PSF1" or "PSF2".</summary>
    public string Format { get; }

    public int Width { get; }

    public int Height { get; }

    public int GlyphCount { get; }

    public int BytesPerRow => (Width + 7) / 8;

    public int BytesPerGlyph => BytesPerRow * Height;

    /// <summary>Reads a .psf or .psf.gz file; throws InvalidDataException naming the problem for anything malformed.</summary>
    public static PsfFont Load(string path)
    {
        byte[] data = File.ReadAllBytes(path);
        if (data.Length >= 2 && data[0] == 0x1F && data[1] == 0x8B)
        {
            using var gzip = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            gzip.CopyTo(plain);
            data = plain.ToArray();
        }

        try
        {
            return Parse(data);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    public static PsfFont Parse(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(data) == Psf2Magic)
            return ParsePsf2(data);
        if (data.Length >= 2 && BinaryPrimitives.ReadUInt16LittleEndian(data) == Psf1Magic)
            return ParsePsf1(data);
        throw new InvalidDataException("not a PSF font (no PSF1 or PSF2 magic number)");
    }

    /// <summary>The glyph that draws <paramref name="codePoint"/>, or -1 when the font has none.</summary>
    public int GlyphFor(int codePoint) => _glyphByCodePoint.TryGetValue(codePoint, out int glyph) ? glyph : -1;

    public ReadOnlySpan<byte> Bitmap(int glyph) => _bitmaps.AsSpan(glyph * BytesPerGlyph, BytesPerGlyph);

    // PSF1: magic (2 bytes), mode, bytes per glyph (= height); always 8 pixels wide.
    // Mode bit 0: 512 glyphs instead of 256; bits 1 and 2: a Unicode table follows the bitmaps.
    private static PsfFont ParsePsf1(ReadOnlySpan<byte> data)
    {
        if (data.Length < 4)
            throw new InvalidDataException("truncated PSF1 header");
        byte mode = data[2];
        int height = data[3];
        int glyphCount = (mode & 0x01) != 0 ? 512 : 256;
        bool hasTable = (mode & 0x06) != 0;
        int bitmapBytes = glyphCount * height;
        if (height == 0 || data.Length < 4 + bitmapBytes)
            throw new InvalidDataException($"PSF1 glyph data truncated ({glyphCount} glyphs of {height} bytes expected)");

        byte[] bitmaps = data.Slice(4, bitmapBytes).ToArray();
        var table = new Dictionary<int, int>();
        if (hasTable)
            ReadPsf1Table(data.Slice(4 + bitmapBytes), glyphCount, table);
        return new PsfFont("PSF1", 8, height, glyphCount, bitmaps, table);
    }

    // Per glyph: 16-bit code points, 0xFFFE starts multi-code-point sequences (skipped), 0xFFFF ends the glyph.
    private static void ReadPsf1Table(ReadOnlySpan<byte> table, int glyphCount, Dictionary<int, int> map)
    {
        int position = 0;
        for (int glyph = 0; glyph < glyphCount; glyph++)
        {
            bool inSequence = false;
            while (true)
            {
                if (position + 2 > table.Length)
                    throw new InvalidDataException($"PSF1 Unicode table ends inside the entry of glyph {glyph}");
                ushort value = BinaryPrimitives.ReadUInt16LittleEndian(table.Slice(position));
                position += 2;
                if (value == 0xFFFF)
                    break;
                if (value == 0xFFFE)
                    inSequence = true;
                else if (!inSequence)
                    map.TryAdd(value, glyph);
            }
        }
    }

    // PSF2: magic, version, header size, flags (bit 0: Unicode table), glyph count, bytes per glyph, height, width.
    private static PsfFont ParsePsf2(ReadOnlySpan<byte> data)
    {
        if (data.Length < 32)
            throw new InvalidDataException("truncated PSF2 header");
        uint headerSize = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(8));
        uint flags = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(12));
        uint glyphCount = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(16));
        uint bytesPerGlyph = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(20));
        uint height = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(24));
        uint width = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(28));
        if (width == 0 || height == 0 || width > 64 || height > 128 || glyphCount == 0 || glyphCount > 65536)
            throw new InvalidDataException($"implausible PSF2 geometry ({width}x{height}, {glyphCount} glyphs)");
        if (bytesPerGlyph != ((width + 7) / 8) * height)
            throw new InvalidDataException($"PSF2 glyph size {bytesPerGlyph} does not match {width}x{height}");
        long bitmapBytes = glyphCount * (long)bytesPerGlyph;
        if (headerSize < 32 || data.Length < headerSize + bitmapBytes)
            throw new InvalidDataException("PSF2 glyph data truncated");

        byte[] bitmaps = data.Slice((int)headerSize, (int)bitmapBytes).ToArray();
        var table = new Dictionary<int, int>();
        if ((flags & 1) != 0)
            ReadPsf2Table(data.Slice((int)(headerSize + bitmapBytes)), (int)glyphCount, table);
        return new PsfFont("PSF2", (int)width, (int)height, (int)glyphCount, bitmaps, table);
    }

    // Per glyph: UTF-8 encoded code points, 0xFE starts sequences (skipped), 0xFF ends the glyph.
    private static void ReadPsf2Table(ReadOnlySpan<byte> table, int glyphCount, Dictionary<int, int> map)
    {
        int position = 0;
        for (int glyph = 0; glyph < glyphCount; glyph++)
        {
            int end = table.Slice(position).IndexOf((byte)0xFF);
            if (end < 0)
                throw new InvalidDataException($"PSF2 Unicode table ends inside the entry of glyph {glyph}");
            ReadOnlySpan<byte> entry = table.Slice(position, end);
            position += end + 1;
            int sequences = entry.IndexOf((byte)0xFE);
            if (sequences >= 0)
                entry = entry.Slice(0, sequences);
            foreach (Rune rune in Encoding.UTF8.GetString(entry).EnumerateRunes())
                map.TryAdd(rune.Value, glyph);
        }
    }
}
