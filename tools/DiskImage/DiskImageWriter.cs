// The whole disk: GPT around one EFI System Partition that starts at 1 MiB and
// ends on a 1 MiB boundary, holding a FAT volume with the given files. Without
// a disk size the disk is as small as the payload allows plus headroom (a
// quarter of the payload and 1 MiB more) so kernel.conf can be edited and a
// larger kernel copied over on the stick; with one, a payload that does not fit
// is an error that names the smallest size that would do. The GUIDs and the
// volume serial number are derived from the content, so equal inputs give
// equal bytes.
using System.Security.Cryptography;
using System.Text;

namespace DiskImage;

public sealed record DiskImageOptions
{
    public required IReadOnlyList<ImageFile> Files { get; init; }

    /// <summary>The disk's size in bytes, or null to size it to the payload plus headroom.</summary>
    public long? DiskBytes { get; init; }

    public string Label { get; init; } = "TESSERA";
}

public sealed record DiskImageResult(long DiskBytes, GptPartition Partition, FatLayout Layout, Guid DiskGuid, uint VolumeId, long PayloadBytes);

public static class DiskImageWriter
{
    public const int SectorSize = 512;

    /// <summary>Partition alignment: 1 MiB, what partitioning tools use and flash media like.</summary>
    public const long AlignmentSectors = (1 << 20) / SectorSize;

    public const string PartitionName = "EFI system partition";

    public static DiskImageResult Write(string outputPath, DiskImageOptions options)
    {
        var volume = new FatVolume(options.Files, options.Label);
        long diskSectors = options.DiskBytes is long bytes ? SectorsForRequestedSize(bytes, volume) : SmallestDisk(volume, Headroom(volume.PayloadBytes));

        (long first, long last) = PartitionSectors(diskSectors);
        FatLayout layout = FatLayout.For(last - first + 1);

        byte[] contentHash = ContentHash(options, diskSectors);
        Guid diskGuid = DeriveGuid(contentHash, "disk");
        var partition = new GptPartition(GuidPartitionTable.EfiSystemPartitionType, DeriveGuid(contentHash, "partition"), first, last, PartitionName);
        uint volumeId = BitConverter.ToUInt32(Derive(contentHash, "volume"), 0);
        var table = new GuidPartitionTable(diskSectors, diskGuid, partition);

        string fullPath = Path.GetFullPath(outputPath);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        string temporary = fullPath + ".partial";
        try
        {
            using (var disk = new FileStream(temporary, FileMode.Create, FileAccess.ReadWrite, FileShare.None))
            {
                disk.SetLength(diskSectors * SectorSize);
                table.WriteTo(disk);
                volume.WriteTo(disk, first * SectorSize, layout, volumeId, hiddenSectors: first);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }

        return new DiskImageResult(diskSectors * SectorSize, partition, layout, diskGuid, volumeId, volume.PayloadBytes);
    }

    /// <summary>The partition's first and last sector on a disk of <paramref name="diskSectors"/>: 1 MiB-aligned, before the backup GPT.</summary>
    public static (long First, long Last) PartitionSectors(long diskSectors)
    {
        long first = AlignmentSectors;
        long end = (GuidPartitionTable.LastUsableSectorOf(diskSectors) + 1) / AlignmentSectors * AlignmentSectors;
        return (first, end - 1);
    }

    /// <summary>Free space left beside the payload when the size is not given.</summary>
    public static long Headroom(long payloadBytes) => payloadBytes / 4 + (1 << 20);

    private static long SectorsForRequestedSize(long bytes, FatVolume volume)
    {
        if (bytes % SectorSize != 0)
            throw new DiskImageException($"the disk size ({bytes} bytes) must be a multiple of {SectorSize} bytes");
        long sectors = bytes / SectorSize;
        (long first, long last) = PartitionSectors(sectors);
        long smallest = SmallestDisk(volume, headroomBytes: 0) * SectorSize;
        if (last < first)
            throw new DiskImageException($"a disk of {Describe(bytes)} has no room for a 1 MiB-aligned partition between the GPTs; the payload needs at least {Describe(smallest)}");
        FatLayout layout = FatLayout.For(last - first + 1);
        string? problem = volume.WhyNotFitting(layout);
        if (problem is not null)
            throw new DiskImageException($"the payload ({volume.PayloadBytes} bytes) does not fit on a disk of {Describe(bytes)}: {problem}. The smallest disk that holds it is {Describe(smallest)} (--disk-size {smallest / (1 << 20)}M)");
        return sectors;
    }

    // Whole MiB partitions, growing until the files and the headroom fit; the disk adds
    // the 1 MiB before the partition and 1 MiB after it for the backup GPT.
    private static long SmallestDisk(FatVolume volume, long headroomBytes)
    {
        for (long mebibytes = 1; mebibytes <= (2L << 20); mebibytes++)
        {
            long partitionSectors = mebibytes * AlignmentSectors;
            FatLayout layout;
            try
            {
                layout = FatLayout.For(partitionSectors);
            }
            catch (DiskImageException)
            {
                continue;
            }

            long headroomClusters = (headroomBytes + layout.ClusterBytes - 1) / layout.ClusterBytes;
            if (volume.WhyNotFitting(layout) is null && volume.ClustersNeeded(layout) + headroomClusters <= layout.ClusterCount)
                return partitionSectors + 2 * AlignmentSectors;
        }

        throw new DiskImageException($"the payload ({volume.PayloadBytes} bytes) does not fit on any disk up to 2 TiB");
    }

    private static byte[] ContentHash(DiskImageOptions options, long diskSectors)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{options.Label}\n{diskSectors}\n"));
        var buffer = new byte[1 << 20];
        foreach (ImageFile file in options.Files.OrderBy(f => f.ImagePath, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(file.ImagePath + "\n"));
            using FileStream stream = File.OpenRead(file.SourcePath);
            hash.AppendData(BitConverter.GetBytes(stream.Length));
            int read;
            while ((read = stream.Read(buffer)) > 0)
                hash.AppendData(buffer, 0, read);
        }

        return hash.GetHashAndReset();
    }

    private static byte[] Derive(byte[] contentHash, string purpose)
        => SHA256.HashData(contentHash.Concat(Encoding.UTF8.GetBytes(purpose)).ToArray());

    // A random-looking (version 4, RFC 4122 variant) GUID that is a function of the content.
    private static Guid DeriveGuid(byte[] contentHash, string purpose)
    {
        byte[] bytes = Derive(contentHash, purpose)[..16];
        bytes[7] = (byte)(bytes[7] & 0x0F | 0x40);   // Guid's byte order: byte 7 is the high byte of the third group
        bytes[8] = (byte)(bytes[8] & 0x3F | 0x80);
        return new Guid(bytes);
    }

    public static string Describe(long bytes)
        => bytes % (1 << 20) == 0 ? $"{bytes >> 20} MiB" : $"{bytes} bytes";
}
