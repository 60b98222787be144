// Real OVMF memory maps, captured from the loader's debug log ("log = debug"
// in kernel.conf prints every firmware descriptor) on QEMU q35 and pc
// machines below and above 4 GiB of RAM: MemoryMaps/<machine>.txt. Loading
// one runs the same path the loader does (descriptor kinds, then
// MemoryMapBuilder's normalization) and yields BootInfo's region list.
// No xunit here: the benchmarks (tests/Bench) compile this file too.
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Shared.Boot;

namespace Host.Tests.Memory;


public static class CapturedMemoryMap
{
    public static readonly string[] Machines = { "q35-256M", "q35-8G", "pc-512M", "pc-8G" };

    private static readonly Regex s_line = new(@"^loader:\s+0x([0-9A-F]+)-0x([0-9A-F]+) type (\d+) attributes 0x([0-9A-F]+)", RegexOptions.Multiline);

    public static MemoryRegion[] Load(string machine)
        => Parse(File.ReadAllText(Path.Combine(Path.GetDirectoryName(ThisFile())!, "MemoryMaps", machine + ".txt")), machine);

    // The captures sit beside this source file, wherever the assembly that compiled it runs from.
    private static string ThisFile([CallerFilePath] string path = "") => path;

    public static MemoryRegion[] Parse(string text, string machine)
    {
        var inputs = new MemoryRegion[512];
        var builder = new MemoryMapBuilder(inputs);
        int count = 0;
        foreach (Match m in s_line.Matches(text))
        {
            ulong start = ulong.Parse(m.Groups[1].Value, NumberStyles.HexNumber);
            ulong end = ulong.Parse(m.Groups[2].Value, NumberStyles.HexNumber);
            var descriptor = new EfiMemoryDescriptor((EfiMemoryType)uint.Parse(m.Groups[3].Value), start, (end - start) / 4096, ulong.Parse(m.Groups[4].Value, NumberStyles.HexNumber));
            if (!builder.Add(descriptor.PhysicalStart, descriptor.Length, descriptor.Kind))
                throw new InvalidDataException(machine + ": more descriptors than the builder's scratch space");
            count++;
        }

        if (count <= 10)
            throw new InvalidDataException(machine + ": the capture holds no firmware descriptors");
        var output = new MemoryRegion[1024];
        int regions = builder.Build(output, new ulong[1024]);
        if (regions <= 0)
            throw new InvalidDataException(machine + ": the map does not normalize");
        return output[..regions];
    }

    public static ulong FramesOf(MemoryRegion[] map, MemoryRegionKind kind)
        => map.Where(r => r.Kind == kind).Aggregate(0UL, (sum, r) => sum + FramesIn(r));

    public static ulong FramesIn(MemoryRegion region)
    {
        ulong first = (region.Start + 4095) / 4096;
        ulong end = region.End / 4096;
        return end > first ? end - first : 0;
    }
}
