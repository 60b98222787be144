// The COFF object that carries the symbol table into the kernel: one
// read-only section named so that lld-link places it after every other
// section. Link pass 1 uses an empty table (Placeholder), pass 2 the real one
// built from pass 1's map; since the section is last and nothing else
// changes between the passes, no other symbol moves - which LinkCheck
// verifies rather than assumes.
namespace AsmGen.Symbols;

public static class SymbolTableObject
{
    /// <summary>lld-link orders its own sections first, then the others by name: "z" sorts after .managedcode, .modules, .tls.</summary>
    public const string SectionName = ".zsymtab";

    public const string TableSymbol = "kernel_symbol_table";

    public static byte[] Placeholder(ulong imageBase) => Build(SymbolTableBuilder.Serialize(Array.Empty<SymbolEntry>(), imageBase));

    public static byte[] FromMap(LinkerMap map) => Build(SymbolTableBuilder.Serialize(SymbolTableBuilder.Entries(map), map.PreferredBase));

    public static byte[] Build(byte[] table)
    {
        var section = new CoffSection(SectionName, CoffWriter.ReadOnlyDataCharacteristics);
        section.Symbols.Add(new CoffSymbol(TableSymbol, 0, IsFunction: false));
        section.Data.AddRange(table);
        section.Align(16, 0);
        return CoffWriter.Write(new[] { section });
    }
}
