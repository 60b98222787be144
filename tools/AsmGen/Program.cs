// Entry points:
//   AsmGen <kernel|loader> <output.obj> [<listing.txt>]
//       the machine-code functions an image links (see NativeImage), plus an
//       optional listing of each function's offset, size and contract;
//   AsmGen blob <input-file> <output.obj>
//       embeds a file (the kernel image) in an object, with accessors
//       efi_kernel_image / efi_kernel_image_size for the loader;
//   AsmGen symbols <output.obj> [<kernel.map>]
//       the kernel's symbol table object: empty without a map (link pass 1),
//       else built from the map of pass 1 (for link pass 2);
//   AsmGen check-link <pass1.map> <pass2.map> <stamp>
//       fails, listing what moved, unless pass 2 placed everything where
//       pass 1 did; writes the stamp file when it did.
//   AsmGen gdb-symbols <kernel.exe> <kernel.map> <kernel.gdb.elf>
//       the debugger's symbol file: function symbols and .debug_frame made
//       from the image's unwind tables (docs/debugging.md).
using AsmGen;
using AsmGen.Debugging;
using AsmGen.Symbols;

if (args.Length == 3 && args[0] == "blob")
{
    byte[] content = File.ReadAllBytes(args[1]);
    File.WriteAllBytes(args[2], EmbeddedFile.Build(content, "efi_kernel_image").ToCoff());
    Console.WriteLine($"AsmGen: embedded {args[1]} ({content.Length} bytes) -> {args[2]}");
    return 0;
}

if ((args.Length == 2 || args.Length == 3) && args[0] == "symbols")
{
    if (args.Length == 2)
    {
        File.WriteAllBytes(args[1], SymbolTableObject.Placeholder(0));
        Console.WriteLine($"AsmGen: empty symbol table -> {args[1]}");
        return 0;
    }

    LinkerMap map = LinkerMap.Load(args[2]);
    IReadOnlyList<SymbolEntry> entries = SymbolTableBuilder.Entries(map);
    File.WriteAllBytes(args[1], SymbolTableObject.FromMap(map));
    Console.WriteLine($"AsmGen: symbol table with {entries.Count} functions from {args[2]} -> {args[1]}");
    return 0;
}

if (args.Length == 4 && args[0] == "check-link")
{
    IReadOnlyList<string> problems = LinkCheck.Compare(LinkerMap.Load(args[1]), LinkerMap.Load(args[2]));
    if (problems.Count > 0)
    {
        Console.Error.WriteLine($"AsmGen: the second link pass moved code or data, so the embedded symbol table would be wrong ({args[1]} vs {args[2]}):");
        foreach (string problem in problems)
            Console.Error.WriteLine("  " + problem);
        return 1;
    }

    File.WriteAllText(args[3], "link layout verified: pass 2 matches pass 1\n");
    return 0;
}

if (args.Length == 4 && args[0] == "gdb-symbols")
{
    GdbSymbolFile.Result symbols = GdbSymbolFile.Build(File.ReadAllBytes(args[1]), LinkerMap.Load(args[2]));
    File.WriteAllBytes(args[3], symbols.Elf);
    Console.WriteLine($"AsmGen: gdb symbol file with {symbols.Functions} symbols, {symbols.FramesDescribed} unwind entries ({symbols.FramesSkipped} not expressible) -> {args[3]}");
    return 0;
}

if (args.Length < 2 || !Enum.TryParse(args[0], ignoreCase: true, out ImageKind image))
{
    Console.Error.WriteLine("usage: AsmGen <kernel|loader> <output.obj> [<listing.txt>]");
    Console.Error.WriteLine("       AsmGen blob <input-file> <output.obj>");
    Console.Error.WriteLine("       AsmGen symbols <output.obj> [<kernel.map>]");
    Console.Error.WriteLine("       AsmGen check-link <pass1.map> <pass2.map> <stamp>");
    Console.Error.WriteLine("       AsmGen gdb-symbols <kernel.exe> <kernel.map> <kernel.gdb.elf>");
    return 2;
}

NativeObject native = NativeImage.Build(image);
File.WriteAllBytes(args[1], native.ToCoff());
if (args.Length > 2)
{
    using var listing = new StreamWriter(args[2]);
    foreach (NativeFunction function in native.Functions)
        listing.WriteLine($"{function.Offset:X6} {function.Size,5} {function.Name,-40} {function.Summary}");
}

Console.WriteLine($"AsmGen: {image}: {native.Functions.Count} functions, {native.Text.Data.Count} bytes of code -> {args[1]}");
return 0;
