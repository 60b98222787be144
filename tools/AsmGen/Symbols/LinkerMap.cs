// Reads the map lld-link writes with /map: the image's preferred base, its
// section contributions (index, offset, length, name, class) and every symbol
// with its section:offset and absolute address. Only what the symbol table
// and the two-pass link check need.
using System.Globalization;

namespace AsmGen.Symbols;

public sealed record MapSection(int Index, uint Offset, uint Length, string Name, string Class)
{
    public bool IsCode => Class == "CODE";
}

public sealed record MapSymbol(int Section, uint Offset, string Name, ulong Address);

public sealed class LinkerMap
{
    private LinkerMap(ulong preferredBase, IReadOnlyList<MapSection> sections, IReadOnlyList<MapSymbol> symbols)
    {
        PreferredBase = preferredBase;
        Sections = sections;
        Symbols = symbols;
    }

    public ulong PreferredBase { get; }

    public IReadOnlyList<MapSection> Sections { get; }

    public IReadOnlyList<MapSymbol> Symbols { get; }

    public static LinkerMap Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Parses map text; throws FormatException naming the line when the text is not an lld-link map.</summary>
    public static LinkerMap Parse(string text, string source = "map")
    {
        ulong? preferredBase = null;
        var sections = new List<MapSection>();
        var symbols = new List<MapSymbol>();
        string[] lines = text.Replace("\r", "").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            const string BasePrefix = "Preferred load address is ";
            if (line.StartsWith(BasePrefix, StringComparison.Ordinal))
            {
                preferredBase = ParseHex(line[BasePrefix.Length..], source, i);
                continue;
            }

            string[] tokens = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length < 2 || !TryParseSectionOffset(tokens[0], out int section, out uint offset))
                continue;

            if (tokens.Length == 4 && tokens[1].EndsWith('H') && TryParseHex(tokens[1][..^1], out ulong length))
                sections.Add(new MapSection(section, offset, checked((uint)length), tokens[2], tokens[3]));
            else if (TryParseSymbol(tokens, section, offset, out MapSymbol? symbol))
                symbols.Add(symbol!);
            else if (!line.Contains("entry point at", StringComparison.Ordinal))
                throw new FormatException($"{source}:{i + 1}: cannot read this line of the linker map: {line}");
        }

        if (preferredBase is null)
            throw new FormatException($"{source}: no 'Preferred load address' line: not an lld-link /map file");
        if (sections.Count == 0)
            throw new FormatException($"{source}: no section table: not an lld-link /map file");
        return new LinkerMap(preferredBase.Value, sections, symbols);
    }

    /// <summary>Absolute address where section <paramref name="index"/> starts, from any symbol in it; null if it has none.</summary>
    public ulong? SectionStart(int index)
    {
        foreach (MapSymbol symbol in Symbols)
        {
            if (symbol.Section == index)
                return symbol.Address - symbol.Offset;
        }

        return null;
    }

    // "<sec:off> <name...> <16 hex digits> [f|i] <object>": names have no spaces in practice, but
    // the address column is found from the right so that one with spaces would still parse.
    private static bool TryParseSymbol(string[] tokens, int section, uint offset, out MapSymbol? symbol)
    {
        symbol = null;
        for (int a = tokens.Length - 2; a >= 2; a--)
        {
            if (tokens[a].Length == 16 && TryParseHex(tokens[a], out ulong address))
            {
                symbol = new MapSymbol(section, offset, string.Join(' ', tokens[1..a]), address);
                return true;
            }
        }

        return false;
    }

    private static bool TryParseSectionOffset(string token, out int section, out uint offset)
    {
        section = 0;
        offset = 0;
        int colon = token.IndexOf(':');
        return colon == 4 && token.Length == 13
            && int.TryParse(token.AsSpan(0, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out section)
            && uint.TryParse(token.AsSpan(5), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out offset);
    }

    private static bool TryParseHex(string text, out ulong value)
        => ulong.TryParse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out value);

    private static ulong ParseHex(string text, string source, int line)
        => TryParseHex(text.Trim(), out ulong value) ? value : throw new FormatException($"{source}:{line + 1}: expected a hexadecimal address, got '{text}'");
}
