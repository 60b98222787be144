// Entry points:
//   AsmGen <kernel|loader> <output.obj> [<listing.txt>]
//       the machine-code functions an image links (see NativeImage), plus an
//       optional listing of each function's offset, size and contract;
//   AsmGen blob <input-file> <output.obj>
//       embeds a file (the kernel image) in an object, with accessors
//       efi_kernel_image / efi_kernel_image_size for the loader.
using AsmGen;

if (args.Length == 3 && args[0] == "blob")
{
    byte[] content = File.ReadAllBytes(args[1]);
    File.WriteAllBytes(args[2], EmbeddedFile.Build(content, "efi_kernel_image").ToCoff());
    Console.WriteLine($"AsmGen: embedded {args[1]} ({content.Length} bytes) -> {args[2]}");
    return 0;
}

if (args.Length < 2 || !Enum.TryParse(args[0], ignoreCase: true, out ImageKind image))
{
    Console.Error.WriteLine("usage: AsmGen <kernel|loader> <output.obj> [<listing.txt>]");
    Console.Error.WriteLine("       AsmGen blob <input-file> <output.obj>");
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
