// The partitioning around the file system: a protective MBR in sector 0 (so
// MBR-only tools see one partition of type 0xEE covering the disk and leave it
// alone), the primary GPT header in sector 1 with its 128-entry partition array
// in sectors 2-33, and the backup array and header in the disk's last 33
// sectors. Both headers carry CRC32s of themselves and of the array (UEFI
// specification 2.10, section 5.3).
using System.Buffers.Binary;
using System.Text;

namespace DiskImage;

public sealed class GuidPartitionTable
{
    public const int SectorSize = 512;
    public const int EntryCount = 128;
    public const int EntrySize = 128;
    public const int EntryArraySectors = EntryCount * EntrySize / SectorSize;

    /// <summary>The EFI System Partition's type GUID.</summary>
    public static readonly Guid EfiSystemPartitionType = new("C12A7328-F81F-11D2-BA4B-00A0C93EC93B");

    public GuidPartitionTable(long diskSectors, Guid diskGuid, GptPartition partition)
    {
        if (diskSectors < 1 + 2 * (1 + EntryArraySectors) + 1)
            throw new DiskImageException($"a GPT disk needs at least {2 * (1 + EntryArraySectors) + 2} sectors; got {diskSectors}");
        if (partition.FirstSector < FirstUsableSector || partition.LastSector > LastUsableSectorOf(diskSectors) || partition.LastSector < partition.FirstSector)
            throw new DiskImageException($"partition sectors {partition.FirstSector}-{partition.LastSector} are outside the usable sectors {FirstUsableSector}-{LastUsableSectorOf(diskSectors)}");
        DiskSectors = diskSectors;
        DiskGuid = diskGuid;
        Partition = partition;
    }

    public static long FirstUsableSector => 2 + EntryArraySectors;

    public long DiskSectors { get; }

    public Guid DiskGuid { get; }

    public GptPartition Partition { get; }

    public long LastUsableSector => LastUsableSectorOf(DiskSectors);

    public static long LastUsableSectorOf(long diskSectors) => diskSectors - 2 - EntryArraySectors;

    /// <summary>Writes the protective MBR, both headers and both entry arrays.</summary>
    public void WriteTo(Stream disk)
    {
        WriteAt(disk, 0, ProtectiveMbr());
        byte[] entries = EntryArray();
        uint entriesCrc = Crc32.Compute(entries);
        long lastSector = DiskSectors - 1;
        long backupEntriesSector = lastSector - EntryArraySectors;
        WriteAt(disk, 1, Header(myLba: 1, alternateLba: lastSector, entriesLba: 2, entriesCrc));
        WriteAt(disk, 2, entries);
        WriteAt(disk, backupEntriesSector, entries);
        WriteAt(disk, lastSector, Header(myLba: lastSector, alternateLba: 1, entriesLba: backupEntriesSector, entriesCrc));
    }

    private byte[] ProtectiveMbr()
    {
        var mbr = new byte[SectorSize];
        Span<byte> entry = mbr.AsSpan(446, 16);
        entry[0] = 0x00;                                    // not bootable
        entry[1] = 0x00; entry[2] = 0x02; entry[3] = 0x00;  // CHS of LBA 1
        entry[4] = 0xEE;                                    // GPT protective
        entry[5] = 0xFF; entry[6] = 0xFF; entry[7] = 0xFF;  // CHS beyond reach
        BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(entry[12..], (uint)Math.Min(DiskSectors - 1, uint.MaxValue));
        mbr[510] = 0x55;
        mbr[511] = 0xAA;
        return mbr;
    }

    private byte[] Header(long myLba, long alternateLba, long entriesLba, uint entriesCrc)
    {
        const int HeaderSize = 92;
        var sector = new byte[SectorSize];
        Span<byte> h = sector;
        Encoding.ASCII.GetBytes("EFI PART", h);
        BinaryPrimitives.WriteUInt32LittleEndian(h[8..], 0x00010000);
        BinaryPrimitives.WriteUInt32LittleEndian(h[12..], HeaderSize);
        BinaryPrimitives.WriteUInt64LittleEndian(h[24..], (ulong)myLba);
        BinaryPrimitives.WriteUInt64LittleEndian(h[32..], (ulong)alternateLba);
        BinaryPrimitives.WriteUInt64LittleEndian(h[40..], (ulong)FirstUsableSector);
        BinaryPrimitives.WriteUInt64LittleEndian(h[48..], (ulong)LastUsableSector);
        DiskGuid.TryWriteBytes(h[56..]);
        BinaryPrimitives.WriteUInt64LittleEndian(h[72..], (ulong)entriesLba);
        BinaryPrimitives.WriteUInt32LittleEndian(h[80..], EntryCount);
        BinaryPrimitives.WriteUInt32LittleEndian(h[84..], EntrySize);
        BinaryPrimitives.WriteUInt32LittleEndian(h[88..], entriesCrc);
        // The header's CRC covers its 92 bytes with the CRC field itself zero.
        BinaryPrimitives.WriteUInt32LittleEndian(h[16..], Crc32.Compute(h[..HeaderSize]));
        return sector;
    }

    private byte[] EntryArray()
    {
        var entries = new byte[EntryCount * EntrySize];
        Span<byte> e = entries.AsSpan(0, EntrySize);
        Partition.Type.TryWriteBytes(e);
        Partition.Guid.TryWriteBytes(e[16..]);
        BinaryPrimitives.WriteUInt64LittleEndian(e[32..], (ulong)Partition.FirstSector);
        BinaryPrimitives.WriteUInt64LittleEndian(e[40..], (ulong)Partition.LastSector);
        BinaryPrimitives.WriteUInt64LittleEndian(e[48..], 0);
        if (Partition.Name.Length > 36)
            throw new DiskImageException($"partition name '{Partition.Name}' is longer than GPT's 36 characters");
        Encoding.Unicode.GetBytes(Partition.Name, e[56..]);
        return entries;
    }

    private static void WriteAt(Stream disk, long sector, byte[] data)
    {
        disk.Position = sector * SectorSize;
        disk.Write(data);
    }
}

/// <summary>One GPT partition entry: type, unique GUID, first and last sector (inclusive), name.</summary>
public sealed record GptPartition(Guid Type, Guid Guid, long FirstSector, long LastSector, string Name);
