// Real OVMF memory maps, captured from the loader's debug log ("log = debug"
// in kernel.conf prints every firmware descriptor) on QEMU q35 and pc
// machines below and above 4 GiB of RAM: MemoryMaps/<machine>.txt. Loading
// one runs the same path the loader does (descriptor kinds, then
// MemoryMapBuilder's normalization) and yields BootInfo's region list.
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Shared.Boot;
using Xunit;

namespace Host.Tests.Memory;

public static class CapturedMemoryMap
{
    public static readonly string[] Machines = { "q35-256M", "q35-8G", "pc-512M", "pc-8G" };

    private static readonly Regex s_line = new(@"^loader:\s+0x([0-9A-F]+)-0x([0-9A-F]+) type (\d+) attributes 0x([0-9A-F]+)", RegexOptions.Multiline);

    public static MemoryRegion[] Load(string machine, [CallerFilePath] string here = "")
    {
        string text = File.ReadAllText(Path.Combine(Path.GetDirectoryName(here)!, "MemoryMaps", machine + ".txt"));
        var inputs = new MemoryRegion[512];
        var builder = new MemoryMapBuilder(inputs);
        int count = 0;
        foreach (Match m in s_line.Matches(text))
        {
            ulong start = ulong.Parse(m.Groups[1].Value, NumberStyles.HexNumber);
            ulong end = ulong.Parse(m.Groups[2].Value, NumberStyles.HexNumber);
            var descriptor = new EfiMemoryDescriptor((EfiMemoryType)uint.Parse(m.Groups[3].Value), start, (end - start) / 4096, ulong.Parse(m.Groups[4].Value, NumberStyles.HexNumber));
            Assert.True(builder.Add(descriptor.PhysicalStart, descriptor.Length, descriptor.Kind));
            count++;
        }

        Assert.True(count > 10, machine + ": the capture holds the firmware's descriptors");
        var output = new MemoryRegion[1024];
        int regions = builder.Build(output, new ulong[1024]);
        Assert.True(regions > 0);
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
