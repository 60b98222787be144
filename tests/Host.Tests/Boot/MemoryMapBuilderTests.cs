using Shared.Boot;
using Xunit;

namespace Host.Tests.Boot;

public sealed class MemoryMapBuilderTests
{
    private static MemoryRegion[] Build(params (ulong Start, ulong Length, MemoryRegionKind Kind)[] inputs)
    {
        var scratch = new MemoryRegion[inputs.Length];
        var builder = new MemoryMapBuilder(scratch);
        foreach (var input in inputs)
            Assert.True(builder.Add(input.Start, input.Length, input.Kind));
        var output = new MemoryRegion[inputs.Length * 2];
        int count = builder.Build(output, new ulong[inputs.Length * 2]);
        Assert.True(count >= 0);
        return output.AsSpan(0, count).ToArray();
    }

    [Fact]
    public void UnsortedInput_ComesOutSortedAndMerged()
    {
        MemoryRegion[] map = Build(
            (0x10_0000, 0x10_0000, MemoryRegionKind.Usable),
            (0x0, 0x9_F000, MemoryRegionKind.Usable),
            (0x20_0000, 0x20_0000, MemoryRegionKind.Usable),
            (0xF000_0000, 0x1000, MemoryRegionKind.Mmio));

        Assert.Equal(3, map.Length);
        Assert.Equal((0UL, 0x9_F000UL, MemoryRegionKind.Usable), (map[0].Start, map[0].Length, map[0].Kind));
        Assert.Equal((0x10_0000UL, 0x30_0000UL, MemoryRegionKind.Usable), (map[1].Start, map[1].Length, map[1].Kind));
        Assert.Equal(MemoryRegionKind.Mmio, map[2].Kind);
    }

    [Fact]
    public void Claims_CarveTheirPurposeOutOfFirmwareRegions()
    {
        MemoryRegion[] map = Build(
            (0x0, 0x100_0000, MemoryRegionKind.BootReclaimable),
            (0x20_0000, 0x10_0000, MemoryRegionKind.KernelImage),
            (0x80_0000, 0x1000, MemoryRegionKind.PageTables));

        Assert.Equal(5, map.Length);
        Assert.Equal(MemoryRegionKind.BootReclaimable, map[0].Kind);
        Assert.Equal((0x20_0000UL, 0x10_0000UL, MemoryRegionKind.KernelImage), (map[1].Start, map[1].Length, map[1].Kind));
        Assert.Equal(MemoryRegionKind.BootReclaimable, map[2].Kind);
        Assert.Equal((0x80_0000UL, 0x1000UL, MemoryRegionKind.PageTables), (map[3].Start, map[3].Length, map[3].Kind));
        Assert.Equal(0x100_0000UL, map[4].End);
    }

    [Fact]
    public void OverlappingFirmwareRegions_NeverReportUsableWhereAnythingElseIs()
    {
        MemoryRegion[] map = Build(
            (0x0, 0x10000, MemoryRegionKind.Usable),
            (0x8000, 0x10000, MemoryRegionKind.Reserved));

        Assert.Equal(2, map.Length);
        Assert.Equal((0UL, 0x8000UL, MemoryRegionKind.Usable), (map[0].Start, map[0].Length, map[0].Kind));
        Assert.Equal((0x8000UL, 0x10000UL, MemoryRegionKind.Reserved), (map[1].Start, map[1].Length, map[1].Kind));
        for (int i = 1; i < map.Length; i++)
            Assert.True(map[i - 1].End <= map[i].Start);
    }

    [Fact]
    public void Build_FailsCleanly_WhenTheOutputIsTooSmall()
    {
        var builder = new MemoryMapBuilder(new MemoryRegion[4]);
        builder.Add(0, 0x1000, MemoryRegionKind.Usable);
        builder.Add(0x2000, 0x1000, MemoryRegionKind.Usable);
        Assert.Equal(-1, builder.Build(new MemoryRegion[1], new ulong[4]));
        Assert.Equal(-1, builder.Build(new MemoryRegion[4], new ulong[1]));
    }
}

public sealed class MemoryMapBuilderStressTests
{
    // Random maps (unsorted, overlapping, adjacent, loader claims on top) against a page-by-page oracle: every
    // page gets the highest-priority kind of the inputs that cover it, and the output is normalized.
    [Fact]
    public void RandomMaps_MatchAPageByPageOracle()
    {
        MemoryRegionKind[] kinds = Enum.GetValues<MemoryRegionKind>();
        var random = new Random(31337);
        for (int round = 0; round < 500; round++)
        {
            const int Pages = 256;
            int count = random.Next(1, 40);
            var inputs = new MemoryRegion[count];
            for (int i = 0; i < count; i++)
            {
                int start = random.Next(Pages);
                int length = random.Next(1, Math.Min(64, Pages - start) + 1);
                inputs[i] = new MemoryRegion { Start = (ulong)start * 4096, Length = (ulong)length * 4096, Kind = kinds[random.Next(kinds.Length)] };
            }

            var builder = new MemoryMapBuilder(new MemoryRegion[count]);
            foreach (MemoryRegion input in inputs)
                Assert.True(builder.Add(input.Start, input.Length, input.Kind));
            var output = new MemoryRegion[2 * count];
            int produced = builder.Build(output, new ulong[2 * count]);
            Assert.True(produced >= 0);
            MemoryRegion[] regions = output.AsSpan(0, produced).ToArray();
            EfiMemoryMapTests.AssertNormalized(regions);

            for (int page = 0; page < Pages; page++)
            {
                ulong address = (ulong)page * 4096;
                MemoryRegionKind expected = 0;
                foreach (MemoryRegion input in inputs)
                {
                    if (address >= input.Start && address < input.End && MemoryMapBuilder.Priority(input.Kind) > MemoryMapBuilder.Priority(expected))
                        expected = input.Kind;
                }

                MemoryRegion[] covering = regions.Where(r => address >= r.Start && address < r.End).ToArray();
                if (expected == 0)
                {
                    Assert.Empty(covering);
                }
                else
                {
                    Assert.Single(covering);
                    Assert.Equal(expected, covering[0].Kind);
                }
            }
        }
    }

    [Fact]
    public void RangeWrappingPastTheTop_IsClamped()
    {
        var builder = new MemoryMapBuilder(new MemoryRegion[1]);
        Assert.True(builder.Add(0xFFFF_FFFF_FFFF_0000, 0x10_0000, MemoryRegionKind.Reserved));
        var output = new MemoryRegion[2];
        Assert.Equal(1, builder.Build(output, new ulong[2]));
        Assert.Equal(ulong.MaxValue, output[0].End);
    }
}
