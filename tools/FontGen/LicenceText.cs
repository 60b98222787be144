// The Terminus Font licence, taken at build time from the Debian package that
// ships the fonts (console-setup-linux's copyright.fonts), so the generated
// glyph data carries its copyright notice and the SIL Open Font License text
// with it, as the licence's condition 2 asks.
using System.IO.Compression;

namespace FontGen;

public static class LicenceText
{
    private const string SectionStart = "Terminus Font is licensed";

    /// <summary>The Terminus section of a Debian copyright file (plain or .gz): notice and licence, without trailing blank lines.</summary>
    public static string ExtractTerminus(string copyrightFile)
    {
        string text = ReadText(copyrightFile);
        int start = text.IndexOf(SectionStart, StringComparison.Ordinal);
        if (start < 0)
            throw new InvalidDataException($"{copyrightFile} has no Terminus Font section (looked for \"{SectionStart}\")");

        // The section runs to the next "== <files>" header of the copyright file.
        int end = text.IndexOf("\n== ", start, StringComparison.Ordinal);
        string section = end < 0 ? text[start..] : text[start..end];
        if (!section.Contains("SIL OPEN FONT LICENSE", StringComparison.Ordinal))
            throw new InvalidDataException($"{copyrightFile}: the Terminus Font section does not contain the SIL Open Font License text");
        return section.TrimEnd();
    }

    private static string ReadText(string path)
    {
        using Stream file = File.OpenRead(path);
        using Stream content = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(content);
        return reader.ReadToEnd().Replace("\r\n", "\n");
    }
}
