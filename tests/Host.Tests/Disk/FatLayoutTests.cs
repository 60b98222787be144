// The FAT type follows from the cluster count (what every reader computes), so
// each layout the writer picks must land inside its own type's range, and the
// FAT must have an entry for every cluster. Also the pieces the image tests
// see only indirectly: CRC-32's check value, 8.3 and long names, FAT12 packing.
using DiskImage;
using Xunit;

namespace Host.Tests.Disk;

public sealed class FatLayoutTests
{
    [Fact]
    public void EveryVolumeSize_GetsAValidType_AndAFatCoveringEveryCluster()
    {
        for (long mebibytes = 1; mebibytes <= 600; mebibytes++)
        {
            FatLayout layout = FatLayout.For(mebibytes * 2048);
            long clusters = layout.ClusterCount;
            bool valid = layout.Type switch
            {
                FatType.Fat12 => clusters < FatLayout.MinFat16Clusters,
                FatType.Fat16 => clusters >= FatLayout.MinFat16Clusters && clusters < FatLayout.MinFat32Clusters,
                _ => clusters >= FatLayout.MinFat32Clusters,
            };
            Assert.True(valid, $"{mebibytes} MiB: {layout}");
            Assert.True((long)layout.FatSectors * 512 * 8 / (int)layout.Type >= clusters + 2, $"{mebibytes} MiB: FAT too small: {layout}");
            Assert.True(layout.FirstDataSector + clusters * layout.SectorsPerCluster <= layout.TotalSectors, $"{mebibytes} MiB: data past the end: {layout}");
        }

        Assert.Equal(FatType.Fat32, FatLayout.For(33 * 2048).Type);
        Assert.Equal(FatType.Fat16, FatLayout.For(32 * 2048).Type);
    }

    [Fact]
    public void Crc32_OfTheStandardCheckString_Is0xCBF43926()
        => Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));

    [Theory]
    [InlineData("BOOTX64.EFI", true)]
    [InlineData("EFI", true)]
    [InlineData("kernel.conf", false)]
    [InlineData("Boot", false)]
    [InlineData("TOOLONGNAME.EFI", false)]
    [InlineData("A.B.C", false)]
    public void ShortNames_AreOnlyUpperCase83Names(string name, bool isShort)
        => Assert.Equal(isShort, FatNames.IsShortName(name));

    [Fact]
    public void ShortNamesForLongOnes_AreNumberedAndUnique()
    {
        var taken = new HashSet<string>();
        string first = FatNames.MakeShortName("kernel.conf", taken);
        taken.Add(first);
        string second = FatNames.MakeShortName("kernel.config", taken);
        Assert.Equal("KERNEL~1.CON", first);
        Assert.Equal("KERNEL~2.CON", second);
        Assert.Equal("A_B~1.TXT", FatNames.MakeShortName("a+b.txt", new HashSet<string>()));
    }

    [Fact]
    public void LongNameEntries_CarryTheNameIn13CharacterPieces_LastPieceFirst()
    {
        byte[] shortName = FatNames.ShortNameField("KERNEL~1.CON");
        List<byte[]> entries = FatNames.LongNameEntries("kernel.conf", shortName);
        byte[] entry = Assert.Single(entries);
        Assert.Equal(0x41, entry[0]);           // piece 1, last
        Assert.Equal(0x0F, entry[11]);
        Assert.Equal(FatNames.Checksum(shortName), entry[13]);
        Assert.Equal('k', (char)entry[1]);
        Assert.Equal(0, entry[28] | entry[29]);  // character 12: the terminator after 11 characters
        Assert.Equal(0xFF, entry[30]);           // character 13: padding

        Assert.Equal(new[] { 0x42, 0x01 }, FatNames.LongNameEntries("boot log number 1.txt", shortName).Select(e => (int)e[0]));
    }

    [Fact]
    public void Fat12Entries_ShareBytes_WithoutDisturbingTheirNeighbours()
    {
        FatLayout layout = FatLayout.For(2048);
        Assert.Equal(FatType.Fat12, layout.Type);
        var fat = new FileAllocationTable(layout);
        fat.Chain(2, 3);
        fat.Chain(5, 1);
        Assert.Equal(new uint[] { 0xFF8, 0xFFF, 3, 4, 0xFFF, 0xFFF, 0 }, Enumerable.Range(0, 7).Select(c => fat.Get(c)));
        Assert.Equal(new byte[] { 0xF8, 0xFF, 0xFF, 0x03, 0x40, 0x00 }, fat.Bytes[..6]);
    }
}
