// A FAT12/16/32 volume holding a given set of files, written in one pass: the
// boot sector (and for FAT32 the FSInfo sector and backups of both), two
// identical FATs, the directories with long names, and each file's data in
// consecutive clusters. Clusters are handed out in order - directories before
// their files, depth first, names sorted - so the same files give the same bytes.
// Timestamps are fixed (2000-01-01 00:00) for the same reason.
using System.Buffers.Binary;
using System.Text;

namespace DiskImage;

/// <summary>One file to put in the image: its path in the image ('/'-separated) and the host file it comes from.</summary>
public sealed record ImageFile(string ImagePath, string SourcePath);

public sealed class FatVolume
{
    private const byte AttributeReadOnlyVolume = 0x08;
    private const byte AttributeDirectory = 0x10;
    private const byte AttributeArchive = 0x20;
    private const ushort FixedDate = (2000 - 1980) << 9 | 1 << 5 | 1;
    private const ushort FixedTime = 0;

    private readonly Node _root = new("", isDirectory: true);

    public FatVolume(IEnumerable<ImageFile> files, string label)
    {
        Label = NormalizeLabel(label);
        foreach (ImageFile file in files)
            Add(file);
        AssignShortNames(_root);
    }

    /// <summary>The volume label, upper case, at most 11 characters.</summary>
    public string Label { get; }

    /// <summary>Bytes of file data (what the user asked to store).</summary>
    public long PayloadBytes { get; private set; }

    /// <summary>Data clusters the files and directories take on <paramref name="layout"/>.</summary>
    public long ClustersNeeded(FatLayout layout)
    {
        long clusters = 0;
        Walk(_root, node =>
        {
            if (node == _root && layout.Type != FatType.Fat32)
                return;
            clusters += ClustersOf(node, layout);
        });
        return clusters;
    }

    /// <summary>Null when the files fit on <paramref name="layout"/>, else why not.</summary>
    public string? WhyNotFitting(FatLayout layout)
    {
        if (layout.Type != FatType.Fat32 && EntryCount(_root) > FatLayout.RootEntries)
            return $"the root directory needs {EntryCount(_root)} entries; {layout.TypeName} has room for {FatLayout.RootEntries}";
        long needed = ClustersNeeded(layout);
        if (needed > layout.ClusterCount)
            return $"the files need {needed} clusters of {layout.ClusterBytes} bytes ({needed * layout.ClusterBytes} bytes); the {layout.TypeName} volume has {layout.ClusterCount} ({layout.ClusterCount * layout.ClusterBytes} bytes)";
        return null;
    }

    /// <summary>Writes the volume at byte <paramref name="volumeOffset"/> of <paramref name="disk"/>.</summary>
    /// <param name="hiddenSectors">Sectors before the volume on the disk (the partition's first sector).</param>
    public void WriteTo(Stream disk, long volumeOffset, FatLayout layout, uint volumeId, long hiddenSectors)
    {
        string? problem = WhyNotFitting(layout);
        if (problem is not null)
            throw new DiskImageException("the files do not fit: " + problem);

        var fat = new FileAllocationTable(layout);
        long nextCluster = 2;
        Walk(_root, node =>
        {
            node.FirstCluster = 0;
            if (node == _root && layout.Type != FatType.Fat32)
                return;
            long count = ClustersOf(node, layout);
            if (count == 0)
                return;
            node.FirstCluster = nextCluster;
            fat.Chain(nextCluster, count);
            nextCluster += count;
        });

        void WriteSectors(long sector, ReadOnlySpan<byte> data)
        {
            disk.Position = volumeOffset + sector * FatLayout.SectorSize;
            disk.Write(data);
        }

        byte[] bootSector = BootSector(layout, volumeId, hiddenSectors);
        WriteSectors(0, bootSector);
        if (layout.Type == FatType.Fat32)
        {
            byte[] fsInfo = FsInfoSector(freeClusters: layout.ClusterCount - (nextCluster - 2), nextFree: nextCluster);
            WriteSectors(1, fsInfo);
            WriteSectors(6, bootSector);
            WriteSectors(7, fsInfo);
        }

        for (int copy = 0; copy < FatLayout.FatCount; copy++)
            WriteSectors(layout.FirstFatSector + (long)copy * layout.FatSectors, fat.Bytes);

        Walk(_root, node =>
        {
            if (node.IsDirectory)
            {
                byte[] content = DirectoryContent(node, layout);
                long sector = node == _root && layout.Type != FatType.Fat32 ? layout.RootDirectorySector : layout.ClusterSector(node.FirstCluster);
                WriteSectors(sector, content);
            }
            else if (node.Size > 0)
            {
                disk.Position = volumeOffset + layout.ClusterSector(node.FirstCluster) * FatLayout.SectorSize;
                using FileStream source = File.OpenRead(node.Source!);
                if (source.Length != node.Size)
                    throw new DiskImageException($"{node.Source} changed size while the image was written ({node.Size} -> {source.Length} bytes)");
                source.CopyTo(disk, 1 << 20);
            }
        });
    }

    private void Add(ImageFile file)
    {
        string[] parts = file.ImagePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
            throw new DiskImageException($"'{file.ImagePath}' is not a file path");
        var source = new FileInfo(file.SourcePath);
        if (!source.Exists)
            throw new DiskImageException($"{file.SourcePath} does not exist (for {file.ImagePath})");
        if (source.Length > uint.MaxValue)
            throw new DiskImageException($"{file.SourcePath} is {source.Length} bytes; a FAT file holds at most 4 GiB - 1");

        Node directory = _root;
        for (int i = 0; i < parts.Length; i++)
        {
            FatNames.Validate(parts[i]);
            bool last = i == parts.Length - 1;
            Node? existing = directory.Children.FirstOrDefault(c => string.Equals(c.Name, parts[i], StringComparison.OrdinalIgnoreCase));
            if (existing is not null && (last || !existing.IsDirectory))
                throw new DiskImageException($"'{file.ImagePath}' clashes with another file in the image ('{existing.Name}'; FAT names ignore case)");
            if (existing is null)
            {
                existing = new Node(parts[i], isDirectory: !last) { Source = last ? source.FullName : null, Size = last ? source.Length : 0, Parent = directory };
                directory.Children.Add(existing);
                if (last)
                    PayloadBytes += source.Length;
            }

            directory = existing;
        }
    }

    private static void AssignShortNames(Node directory)
    {
        directory.Children.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        var taken = new HashSet<string>(directory.Children.Where(c => FatNames.IsShortName(c.Name)).Select(c => c.Name));
        foreach (Node child in directory.Children)
        {
            if (FatNames.IsShortName(child.Name))
            {
                child.ShortName = child.Name;
            }
            else
            {
                child.ShortName = FatNames.MakeShortName(child.Name, taken);
                taken.Add(child.ShortName);
            }

            if (child.IsDirectory)
                AssignShortNames(child);
        }
    }

    private static void Walk(Node node, Action<Node> visit)
    {
        visit(node);
        foreach (Node child in node.Children)
            Walk(child, visit);
    }

    private int EntryCount(Node directory)
    {
        int entries = directory == _root ? 1 : 2;   // the volume label, or '.' and '..'
        foreach (Node child in directory.Children)
            entries += 1 + (child.NeedsLongName ? (child.Name.Length + 12) / 13 : 0);
        return entries;
    }

    private long ClustersOf(Node node, FatLayout layout)
    {
        long bytes = node.IsDirectory ? (long)EntryCount(node) * FatNames.EntrySize : node.Size;
        long clusters = (bytes + layout.ClusterBytes - 1) / layout.ClusterBytes;
        return node.IsDirectory ? Math.Max(1, clusters) : clusters;
    }

    private byte[] DirectoryContent(Node directory, FatLayout layout)
    {
        bool fixedRoot = directory == _root && layout.Type != FatType.Fat32;
        long size = fixedRoot ? layout.RootDirectorySectors * FatLayout.SectorSize : ClustersOf(directory, layout) * layout.ClusterBytes;
        var content = new byte[size];
        int offset = 0;
        void Put(byte[] entry)
        {
            entry.CopyTo(content, offset);
            offset += FatNames.EntrySize;
        }

        if (directory == _root)
        {
            Put(ShortEntry(Encoding.ASCII.GetBytes(Label.PadRight(11)), AttributeReadOnlyVolume, 0, 0));
        }
        else
        {
            Put(ShortEntry(Encoding.ASCII.GetBytes(".".PadRight(11)), AttributeDirectory, directory.FirstCluster, 0));
            // '..' names cluster 0 when the parent is the root directory, also on FAT32.
            long parent = directory.Parent == _root ? 0 : directory.Parent!.FirstCluster;
            Put(ShortEntry(Encoding.ASCII.GetBytes("..".PadRight(11)), AttributeDirectory, parent, 0));
        }

        foreach (Node child in directory.Children)
        {
            byte[] shortName = FatNames.ShortNameField(child.ShortName!);
            if (child.NeedsLongName)
            {
                foreach (byte[] entry in FatNames.LongNameEntries(child.Name, shortName))
                    Put(entry);
            }

            Put(ShortEntry(shortName, child.IsDirectory ? AttributeDirectory : AttributeArchive, child.FirstCluster, child.IsDirectory ? 0 : (uint)child.Size));
        }

        return content;
    }

    private static byte[] ShortEntry(byte[] name, byte attributes, long firstCluster, uint size)
    {
        var entry = new byte[FatNames.EntrySize];
        Span<byte> e = entry;
        name.CopyTo(e);
        e[11] = attributes;
        BinaryPrimitives.WriteUInt16LittleEndian(e[14..], FixedTime);   // created
        BinaryPrimitives.WriteUInt16LittleEndian(e[16..], FixedDate);
        BinaryPrimitives.WriteUInt16LittleEndian(e[18..], FixedDate);   // last access
        BinaryPrimitives.WriteUInt16LittleEndian(e[20..], (ushort)(firstCluster >> 16));
        BinaryPrimitives.WriteUInt16LittleEndian(e[22..], FixedTime);   // written
        BinaryPrimitives.WriteUInt16LittleEndian(e[24..], FixedDate);
        BinaryPrimitives.WriteUInt16LittleEndian(e[26..], (ushort)firstCluster);
        BinaryPrimitives.WriteUInt32LittleEndian(e[28..], size);
        if (attributes == AttributeReadOnlyVolume)
        {
            // A volume label entry carries no dates.
            e[14..26].Clear();
        }

        return entry;
    }

    private byte[] BootSector(FatLayout layout, uint volumeId, long hiddenSectors)
    {
        var sector = new byte[FatLayout.SectorSize];
        Span<byte> b = sector;
        bool fat32 = layout.Type == FatType.Fat32;
        int extended = fat32 ? 64 : 36;     // where the extended boot record starts
        int code = extended + 26;           // boot code after it: 0x5A (FAT32) or 0x3E
        b[0] = 0xEB;
        b[1] = (byte)(code - 2);
        b[2] = 0x90;
        Encoding.ASCII.GetBytes("TESSERA ", b[3..]);
        BinaryPrimitives.WriteUInt16LittleEndian(b[11..], FatLayout.SectorSize);
        b[13] = (byte)layout.SectorsPerCluster;
        BinaryPrimitives.WriteUInt16LittleEndian(b[14..], (ushort)layout.ReservedSectors);
        b[16] = FatLayout.FatCount;
        BinaryPrimitives.WriteUInt16LittleEndian(b[17..], (ushort)(fat32 ? 0 : FatLayout.RootEntries));
        bool small = !fat32 && layout.TotalSectors < 0x10000;
        BinaryPrimitives.WriteUInt16LittleEndian(b[19..], (ushort)(small ? layout.TotalSectors : 0));
        b[21] = 0xF8;                       // media: fixed disk
        BinaryPrimitives.WriteUInt16LittleEndian(b[22..], (ushort)(fat32 ? 0 : layout.FatSectors));
        // Geometry only BIOS-era code reads; 32 sectors x 64 heads divides the 1 MiB-multiple volumes.
        BinaryPrimitives.WriteUInt16LittleEndian(b[24..], 32);
        BinaryPrimitives.WriteUInt16LittleEndian(b[26..], 64);
        BinaryPrimitives.WriteUInt32LittleEndian(b[28..], (uint)hiddenSectors);
        BinaryPrimitives.WriteUInt32LittleEndian(b[32..], (uint)(small ? 0 : layout.TotalSectors));
        if (fat32)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(b[36..], (uint)layout.FatSectors);
            BinaryPrimitives.WriteUInt16LittleEndian(b[40..], 0);   // both FATs mirrored
            BinaryPrimitives.WriteUInt16LittleEndian(b[42..], 0);   // version 0.0
            BinaryPrimitives.WriteUInt32LittleEndian(b[44..], 2);   // root directory: first cluster
            BinaryPrimitives.WriteUInt16LittleEndian(b[48..], 1);   // FSInfo sector
            BinaryPrimitives.WriteUInt16LittleEndian(b[50..], 6);   // backup boot sector
        }

        b[extended] = 0x80;                 // drive number: hard disk
        b[extended + 2] = 0x29;             // extended boot signature: the next three fields are valid
        BinaryPrimitives.WriteUInt32LittleEndian(b[(extended + 3)..], volumeId);
        Encoding.ASCII.GetBytes(Label.PadRight(11), b[(extended + 7)..]);
        Encoding.ASCII.GetBytes(("FAT" + (int)layout.Type).PadRight(8), b[(extended + 18)..]);

        // Started from BIOS by mistake: int 18h (boot failed, try the next device), else halt.
        ReadOnlySpan<byte> notBootable = [0xCD, 0x18, 0xF4, 0xEB, 0xFD];
        notBootable.CopyTo(b[code..]);
        b[510] = 0x55;
        b[511] = 0xAA;
        return sector;
    }

    private static byte[] FsInfoSector(long freeClusters, long nextFree)
    {
        var sector = new byte[FatLayout.SectorSize];
        Span<byte> s = sector;
        BinaryPrimitives.WriteUInt32LittleEndian(s, 0x41615252);
        BinaryPrimitives.WriteUInt32LittleEndian(s[484..], 0x61417272);
        BinaryPrimitives.WriteUInt32LittleEndian(s[488..], (uint)freeClusters);
        BinaryPrimitives.WriteUInt32LittleEndian(s[492..], (uint)nextFree);
        BinaryPrimitives.WriteUInt32LittleEndian(s[508..], 0xAA550000);
        return sector;
    }

    private static string NormalizeLabel(string label)
    {
        string upper = label.ToUpperInvariant();
        if (upper.Length is 0 or > 11 || !upper.All(c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or ' ' or '_' or '-'))
            throw new DiskImageException($"volume label '{label}' must be 1 to 11 letters, digits, spaces, '_' or '-'");
        return upper;
    }

    private sealed class Node(string name, bool isDirectory)
    {
        public string Name { get; } = name;

        public bool IsDirectory { get; } = isDirectory;

        public List<Node> Children { get; } = new();

        public Node? Parent { get; set; }

        public string? Source { get; init; }

        public long Size { get; init; }

        public string? ShortName { get; set; }

        public long FirstCluster { get; set; }

        public bool NeedsLongName => !FatNames.IsShortName(Name);
    }
}
