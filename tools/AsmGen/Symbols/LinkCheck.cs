// Checks that the second link pass (with the real symbol table) placed every
// symbol and section exactly where the first pass (with the placeholder)
// did, except the symbol table's own section. If it did not, the table
// describes addresses the kernel does not have, and the build must stop.
namespace AsmGen.Symbols;

public static class LinkCheck
{
    /// <summary>Differences between the passes, one line each (empty when the layouts agree).</summary>
    public static IReadOnlyList<string> Compare(LinkerMap first, LinkerMap second)
    {
        var problems = new List<string>();
        if (first.PreferredBase != second.PreferredBase)
            problems.Add($"image base changed: 0x{first.PreferredBase:X} -> 0x{second.PreferredBase:X}");

        int? tableSection = TableSection(second);
        var firstSections = first.Sections.Where(s => s.Name != SymbolTableObject.SectionName).ToList();
        var secondSections = second.Sections.Where(s => s.Name != SymbolTableObject.SectionName).ToList();
        if (!firstSections.SequenceEqual(secondSections))
            problems.Add("the section table differs between the passes (a section moved or changed size)");
        if (tableSection is not null && second.Sections.Any(s => s.Index > tableSection && s.Name != SymbolTableObject.SectionName))
            problems.Add($"{SymbolTableObject.SectionName} is not the image's last section");

        var firstSymbols = Placed(first);
        var secondSymbols = Placed(second);
        foreach ((string name, ulong address) in firstSymbols.Except(secondSymbols).Take(20))
            problems.Add($"{name}: at 0x{address:X} after pass 1, not there after pass 2");
        foreach ((string name, ulong address) in secondSymbols.Except(firstSymbols).Take(20))
            problems.Add($"{name}: at 0x{address:X} after pass 2 only");

        return problems;
    }

    private static List<(string Name, ulong Address)> Placed(LinkerMap map)
        => map.Symbols.Where(s => s.Name != SymbolTableObject.TableSymbol).Select(s => (s.Name, s.Address)).ToList();

    private static int? TableSection(LinkerMap map)
        => map.Sections.FirstOrDefault(s => s.Name == SymbolTableObject.SectionName)?.Index;
}
