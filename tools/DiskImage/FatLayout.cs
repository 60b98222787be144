// Where everything of a FAT volume sits, and which FAT it is. The FAT type is
// not a choice a formatter may make freely: readers decide it from the number
// of data clusters alone (fewer than 4085: FAT12; fewer than 65525: FAT16;
// otherwise FAT32 - Microsoft's FAT specification, "FAT type determination").
// So FAT32 is used when the volume has room for 65525 clusters, and FAT16 or
// FAT12 below that, never a FAT32 with too few clusters that fsck rejects.
namespace DiskImage;

public enum FatType
{
    Fat12 = 12,
    Fat16 = 16,
    Fat32 = 32,
}

public sealed record FatLayout(
    FatType Type,
    long TotalSectors,
    int SectorsPerCluster,
    int ReservedSectors,
    int FatSectors,
    int RootDirectorySectors,
    long ClusterCount)
{
    public const int SectorSize = 512;
    public const int FatCount = 2;

    /// <summary>Root directory entries of a FAT12/16 volume (its fixed root directory region).</summary>
    public const int RootEntries = 512;

    public const long MinFat16Clusters = 4085;
    public const long MinFat32Clusters = 65525;
    private const long MaxFat32Clusters = 0x0FFFFFF5 - 2;

    public int ClusterBytes => SectorsPerCluster * SectorSize;

    /// <summary>"FAT12", "FAT16" or "FAT32".</summary>
    public string TypeName => "FAT" + (int)Type;

    public long FirstFatSector => ReservedSectors;

    public long RootDirectorySector => ReservedSectors + (long)FatCount * FatSectors;

    public long FirstDataSector => RootDirectorySector + RootDirectorySectors;

    public long ClusterSector(long cluster) => FirstDataSector + (cluster - 2) * SectorsPerCluster;

    /// <summary>Chooses the FAT type and cluster size for a volume of <paramref name="totalSectors"/> sectors.</summary>
    public static FatLayout For(long totalSectors)
    {
        if (totalSectors > uint.MaxValue)
            throw new DiskImageException($"a FAT volume holds at most {uint.MaxValue} sectors (2 TiB); asked for {totalSectors}");

        // FAT32 with Microsoft's cluster sizes, when it can be valid.
        FatLayout fat32 = Compute(FatType.Fat32, totalSectors, Fat32SectorsPerCluster(totalSectors));
        if (fat32.ClusterCount >= MinFat32Clusters && fat32.ClusterCount <= MaxFat32Clusters)
            return fat32;

        // Too small for FAT32: the smallest clusters that keep FAT16 (or then FAT12) in range.
        foreach (FatType type in new[] { FatType.Fat16, FatType.Fat12 })
        {
            long min = type == FatType.Fat16 ? MinFat16Clusters : 1;
            long max = type == FatType.Fat16 ? MinFat32Clusters - 1 : MinFat16Clusters - 1;
            for (int spc = 1; spc <= 64; spc *= 2)
            {
                FatLayout layout = Compute(type, totalSectors, spc);
                if (layout.ClusterCount > max)
                    continue;
                if (layout.ClusterCount >= min)
                    return layout;
                break;
            }
        }

        throw new DiskImageException($"a volume of {totalSectors} sectors is too small for any FAT file system");
    }

    private static int Fat32SectorsPerCluster(long totalSectors)
    {
        long bytes = totalSectors * SectorSize;
        return bytes switch
        {
            <= 260L << 20 => 1,
            <= 8L << 30 => 8,
            <= 16L << 30 => 16,
            <= 32L << 30 => 32,
            _ => 64,
        };
    }

    private static FatLayout Compute(FatType type, long totalSectors, int sectorsPerCluster)
    {
        int reserved = type == FatType.Fat32 ? 32 : 1;
        int rootSectors = type == FatType.Fat32 ? 0 : RootEntries * 32 / SectorSize;

        // The FAT must hold an entry for every cluster (plus the two reserved entries), and
        // every FAT sector taken shrinks the data area: grow the FAT until it is enough.
        int fatSectors = 1;
        while (true)
        {
            long clusters = Math.Max(0, (totalSectors - reserved - (long)FatCount * fatSectors - rootSectors) / sectorsPerCluster);
            long fatBytes = ((clusters + 2) * (int)type + 7) / 8;
            int needed = (int)((fatBytes + SectorSize - 1) / SectorSize);
            if (needed <= fatSectors)
                return new FatLayout(type, totalSectors, sectorsPerCluster, reserved, fatSectors, rootSectors, clusters);
            fatSectors = needed;
        }
    }
}
