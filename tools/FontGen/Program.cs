// FontGen <output.cs> <8x16 font> <16x32 font> <copyright file>
//
// Checks that both fonts draw every covered character (Coverage.cs), then
// writes the glyph data for Shared/Console/Fonts.cs. The output is only
// rewritten when its content changes, so regenerating from unchanged fonts
// does not make the projects that compile it rebuild.
using FontGen;

if (args.Length != 4)
{
    Console.Error.WriteLine("usage: FontGen <output.cs> <8x16 font.psf[.gz]> <16x32 font.psf[.gz]> <copyright file>");
    return 2;
}

try
{
    var fonts = new[]
    {
        new FontSource(args[1], PsfFont.Load(args[1]), "s_cell8x16Glyphs"),
        new FontSource(args[2], PsfFont.Load(args[2]), "s_cell16x32Glyphs"),
    };
    CheckGeometry(fonts[0], 8, 16);
    CheckGeometry(fonts[1], 16, 32);
    foreach (FontSource source in fonts)
    {
        var missing = Coverage.CodePoints().Where(c => source.Font.GlyphFor(c) < 0).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException($"{source.Path} has no glyph for {string.Join(", ", missing.Take(10).Select(c => $"U+{c:X4}"))}{(missing.Count > 10 ? ", ..." : "")}");
    }

    string generated = FontSourceWriter.Write(fonts, LicenceText.ExtractTerminus(args[3]));
    string output = Path.GetFullPath(args[0]);
    if (File.Exists(output) && File.ReadAllText(output) == generated)
        return 0; // left untouched, so nothing that compiles it rebuilds

    Directory.CreateDirectory(Path.GetDirectoryName(output)!);
    File.WriteAllText(output, generated);
    Console.WriteLine($"FontGen: {Coverage.CodePoints().Count()} glyphs per cell size -> {output}");
    return 0;
}
catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
{
    Console.Error.WriteLine("FontGen: " + e.Message);
    return 1;
}

static void CheckGeometry(FontSource source, int width, int height)
{
    if (source.Font.Width != width || source.Font.Height != height)
        throw new InvalidDataException($"{source.Path} is {source.Font.Width}x{source.Font.Height}, expected {width}x{height}");
}
