// The test kernel as built (artifacts/obj/test/kernel.exe and its linker
// map), laid out in memory the way the loader maps it: every section at its
// RVA. Host tests run after the build (./build.sh --target=Test); run
// ./build.sh --target=Build first when running them alone.
using System.Buffers.Binary;
using AsmGen.Symbols;
using Internal.Runtime.Unwinding;
using Xunit;

namespace Host.Tests.Unwinding;

public sealed class BuiltKernel
{
    private static readonly Lazy<BuiltKernel> s_instance = new(Load);

    private BuiltKernel(byte[] loaded, ulong imageBase, LinkerMap map)
    {
        Loaded = loaded;
        Base = imageBase;
        Map = map;
    }

    public static BuiltKernel Instance => s_instance.Value;

    public byte[] Loaded { get; }
    public ulong Base { get; }
    public LinkerMap Map { get; }

    public CodeImage Image => CodeImage.FromLoadedImage(Loaded, Base);

    /// <summary>The address of a symbol in the linker map (exact name).</summary>
    public ulong Symbol(string name)
    {
        MapSymbol? symbol = Map.Symbols.FirstOrDefault(s => s.Name == name);
        Assert.True(symbol is not null, $"{name} is not in the kernel's linker map");
        return symbol!.Address;
    }

    public (ulong Start, ulong End) Section(string name)
    {
        int pe = BinaryPrimitives.ReadInt32LittleEndian(Loaded.AsSpan(0x3C));
        int count = BinaryPrimitives.ReadUInt16LittleEndian(Loaded.AsSpan(pe + 6));
        int table = pe + 24 + BinaryPrimitives.ReadUInt16LittleEndian(Loaded.AsSpan(pe + 20));
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> header = Loaded.AsSpan(table + (40 * i), 40);
            if (System.Text.Encoding.ASCII.GetString(header[..8]).TrimEnd('\0') == name)
            {
                ulong start = Base + BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
                return (start, start + BinaryPrimitives.ReadUInt32LittleEndian(header[8..]));
            }
        }

        throw new InvalidOperationException("no section " + name);
    }

    private static BuiltKernel Load()
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "build.cake")))
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("no repository root above " + AppContext.BaseDirectory);
        string exe = Path.Combine(root, "artifacts", "obj", "test", "kernel.exe");
        string map = Path.Combine(root, "artifacts", "obj", "test", "kernel.map");
        if (!File.Exists(exe) || !File.Exists(map))
            throw new InvalidOperationException($"{exe} is missing: build first (./build.sh --target=Build)");

        byte[] file = File.ReadAllBytes(exe);
        int pe = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(0x3C));
        int optional = pe + 24;
        ulong imageBase = BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(optional + 24));
        uint sizeOfImage = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(optional + 56));
        uint sizeOfHeaders = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(optional + 60));
        var loaded = new byte[sizeOfImage];
        file.AsSpan(0, (int)sizeOfHeaders).CopyTo(loaded);
        int count = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(pe + 6));
        int table = optional + BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(pe + 20));
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> header = file.AsSpan(table + (40 * i), 40);
            uint virtualSize = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
            uint rva = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
            uint rawSize = BinaryPrimitives.ReadUInt32LittleEndian(header[16..]);
            uint rawOffset = BinaryPrimitives.ReadUInt32LittleEndian(header[20..]);
            file.AsSpan((int)rawOffset, (int)Math.Min(rawSize, virtualSize)).CopyTo(loaded.AsSpan((int)rva));
        }

        return new BuiltKernel(loaded, imageBase, LinkerMap.Load(map));
    }
}
