// The disk-image writer (tools/DiskImage) judged by tools that share no code
// with it: sgdisk verifies the protective MBR, both GPT headers, both entry
// arrays and their CRC32s; fsck.fat reads the partition's bytes as the file
// system (including its last sector - the old image's FAT ran past its
// partition); mtools lists the long names and copies every file back out,
// compared byte for byte. Payloads from 4 KiB to 100 MiB cover FAT12, FAT16
// and FAT32 when the disk is sized to fit; given disk sizes cover them again.
using System.Text.RegularExpressions;
using DiskImage;
using Xunit;

namespace Host.Tests.Disk;

public sealed class DiskImageTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tessera-disk-" + Guid.NewGuid().ToString("N")[..12]);

    public DiskImageTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(4 << 10, FatType.Fat12)]
    [InlineData(300 << 10, FatType.Fat12)]
    [InlineData(3 << 20, FatType.Fat16)]
    [InlineData(40 << 20, FatType.Fat32)]
    [InlineData(100 << 20, FatType.Fat32)]
    public void SizedToThePayload_SgdiskFsckAndMtoolsAcceptIt_AndTheFilesComeBackIdentical(int payloadBytes, FatType expectedType)
    {
        var files = new Dictionary<string, string>
        {
            ["EFI/BOOT/BOOTX64.EFI"] = Payload("bootx64.efi", payloadBytes, seed: payloadBytes),
            ["EFI/BOOT/kernel.conf"] = Text("kernel.conf", "resolution = 1280x800\nlog = debug\n"),
        };

        DiskImageResult result = WriteImage("disk.img", files);

        Assert.Equal(expectedType, result.Layout.Type);
        long partitionBytes = (result.Partition.LastSector - result.Partition.FirstSector + 1) * 512;
        Assert.True(result.Layout.ClusterCount * result.Layout.ClusterBytes - payloadBytes >= DiskImageWriter.Headroom(payloadBytes) - 2 * result.Layout.ClusterBytes,
            $"headroom: a {partitionBytes}-byte partition for {payloadBytes} bytes");
        AssertIndependentToolsAccept(Path.Combine(_directory, "disk.img"), result, files);
    }

    [Theory]
    [InlineData("4M", FatType.Fat12, 512)]
    [InlineData("20M", FatType.Fat16, 512)]
    [InlineData("64M", FatType.Fat32, 512)]
    [InlineData("300M", FatType.Fat32, 4096)]
    public void GivenADiskSize_ItIsUsedExactly_WithTheFatTypeThatIsValidForIt(string size, FatType expectedType, int clusterBytes)
    {
        var files = new Dictionary<string, string>
        {
            ["EFI/BOOT/BOOTX64.EFI"] = Payload("bootx64.efi", 200 << 10, seed: 1),
        };

        DiskImageResult result = WriteImage("disk.img", files, SizeParser.Parse(size));

        Assert.Equal(SizeParser.Parse(size), new FileInfo(Path.Combine(_directory, "disk.img")).Length);
        Assert.Equal(expectedType, result.Layout.Type);
        Assert.Equal(clusterBytes, result.Layout.ClusterBytes);
        AssertIndependentToolsAccept(Path.Combine(_directory, "disk.img"), result, files);
    }

    [Fact]
    public void ManyLongNames_InDirectoriesLargerThanOneCluster_AreListedAndExtracted()
    {
        // 60 files with 40-character names: 4 entries each, 240+ entries, several clusters per directory.
        var files = new Dictionary<string, string>();
        for (int i = 0; i < 60; i++)
            files[$"EFI/Tessera/Logs/boot log number {i:D3} with a long name.txt"] = Text($"log{i}.txt", $"line {i}\n");
        files["EFI/BOOT/BOOTX64.EFI"] = Payload("bootx64.efi", 10 << 10, seed: 2);
        files["EFI/BOOT/Mixed.Case"] = Text("mixed", "mixed case needs a long name\n");

        DiskImageResult result = WriteImage("disk.img", files);

        AssertIndependentToolsAccept(Path.Combine(_directory, "disk.img"), result, files);
    }

    [Fact]
    public void TheSameInputs_GiveTheSameBytes_AndOtherContentGivesOtherGuids()
    {
        var files = new Dictionary<string, string> { ["EFI/BOOT/BOOTX64.EFI"] = Payload("a.efi", 64 << 10, seed: 3) };
        DiskImageResult first = WriteImage("first.img", files);
        DiskImageResult second = WriteImage("second.img", files);
        Assert.Equal(File.ReadAllBytes(Path.Combine(_directory, "first.img")), File.ReadAllBytes(Path.Combine(_directory, "second.img")));
        Assert.Equal(first.DiskGuid, second.DiskGuid);

        byte[] changed = File.ReadAllBytes(files["EFI/BOOT/BOOTX64.EFI"]);
        changed[100] ^= 1;
        File.WriteAllBytes(Path.Combine(_directory, "b.efi"), changed);
        DiskImageResult third = WriteImage("third.img", new Dictionary<string, string> { ["EFI/BOOT/BOOTX64.EFI"] = Path.Combine(_directory, "b.efi") });
        Assert.NotEqual(first.DiskGuid, third.DiskGuid);
        Assert.NotEqual(first.Partition.Guid, third.Partition.Guid);
        Assert.NotEqual(first.VolumeId, third.VolumeId);

        // What sgdisk reads is what the writer says it wrote.
        string info = ExternalTool.Run("sgdisk", "-p", Path.Combine(_directory, "first.img")).Output;
        Assert.Contains("Disk identifier (GUID): " + first.DiskGuid.ToString().ToUpperInvariant(), info);
    }

    [Fact]
    public void APayloadLargerThanTheGivenDisk_IsAClearError_NamingTheSizeThatWouldFit()
    {
        var files = new Dictionary<string, string> { ["EFI/BOOT/BOOTX64.EFI"] = Payload("big.efi", 6 << 20, seed: 4) };

        var error = Assert.Throws<DiskImageException>(() => WriteImage("disk.img", files, 6L << 20));

        Assert.Matches(@"does not fit on a disk of 6 MiB: the files need \d+ clusters .*The smallest disk that holds it is (\d+) MiB", error.Message);
        long smallest = long.Parse(Regex.Match(error.Message, @"--disk-size (\d+)M").Groups[1].Value);
        Assert.False(File.Exists(Path.Combine(_directory, "disk.img")), "no partial image may be left behind");
        DiskImageResult fits = WriteImage("disk.img", files, smallest << 20);
        AssertIndependentToolsAccept(Path.Combine(_directory, "disk.img"), fits, files);
        Assert.Throws<DiskImageException>(() => WriteImage("smaller.img", files, (smallest - 1) << 20));
    }

    [Fact]
    public void ADiskWithNoRoomForAnAlignedPartition_IsAClearError()
    {
        var files = new Dictionary<string, string> { ["EFI/BOOT/BOOTX64.EFI"] = Payload("a.efi", 1024, seed: 5) };
        var error = Assert.Throws<DiskImageException>(() => WriteImage("disk.img", files, 2L << 20));
        Assert.Contains("no room for a 1 MiB-aligned partition", error.Message);
    }

    [Theory]
    [InlineData("EFI/BOOT/a:b.efi", "does not allow")]
    [InlineData("EFI/BOOT/trailing.", "trailing dot")]
    public void NamesFatCannotHold_AreRejected(string imagePath, string expected)
    {
        var files = new Dictionary<string, string> { [imagePath] = Payload("a.efi", 10, seed: 6) };
        var error = Assert.Throws<DiskImageException>(() => WriteImage("disk.img", files));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void FilesDifferingOnlyInCase_AreRejected()
    {
        var files = new Dictionary<string, string>
        {
            ["EFI/BOOT/BOOTX64.EFI"] = Payload("a.efi", 10, seed: 7),
            ["EFI/BOOT/bootx64.efi"] = Payload("b.efi", 10, seed: 8),
        };
        var error = Assert.Throws<DiskImageException>(() => WriteImage("disk.img", files));
        Assert.Contains("FAT names ignore case", error.Message);
    }

    private DiskImageResult WriteImage(string name, Dictionary<string, string> files, long? diskBytes = null)
        => DiskImageWriter.Write(Path.Combine(_directory, name), new DiskImageOptions
        {
            Files = files.Select(f => new ImageFile(f.Key, f.Value)).ToList(),
            DiskBytes = diskBytes,
        });

    private void AssertIndependentToolsAccept(string image, DiskImageResult result, Dictionary<string, string> files)
    {
        // GPT: headers, arrays, CRCs, overlaps, the protective MBR.
        ToolResult verify = ExternalTool.Run("sgdisk", "-v", image);
        Assert.True(verify.ExitCode == 0 && verify.Output.Contains("No problems found"), "sgdisk -v: " + verify);
        ToolResult partition = ExternalTool.Run("sgdisk", "-i", "1", image);
        Assert.Contains("Partition GUID code: C12A7328-F81F-11D2-BA4B-00A0C93EC93B (EFI system partition)", partition.Output);
        Assert.Contains("First sector: 2048 (at 1024.0 KiB)", partition.Output);
        long lastSector = long.Parse(Regex.Match(partition.Output, @"Last sector: (\d+)").Groups[1].Value);
        Assert.Equal(0, (lastSector + 1) % 2048);
        Assert.Equal(result.Partition.LastSector, lastSector);
        Assert.Contains("Partition name: 'EFI system partition'", partition.Output);

        // FAT: fsck on exactly the partition's bytes; the file system must fill the partition, not overrun it.
        long partitionSectors = lastSector - 2048 + 1;
        string partitionFile = Path.Combine(_directory, "partition.bin");
        using (FileStream source = File.OpenRead(image))
        using (FileStream target = File.Create(partitionFile))
        {
            source.Position = 2048 * 512;
            CopyExactly(source, target, partitionSectors * 512);
        }

        ToolResult fsck = ExternalTool.Run("fsck.fat", "-n", "-v", partitionFile);
        Assert.True(fsck.ExitCode == 0, "fsck.fat -n: " + fsck);
        Assert.Contains($" {partitionSectors} sectors total", fsck.Output);
        Assert.Contains($"2 FATs, {(int)result.Layout.Type} bit entries", fsck.Output);
        File.Delete(partitionFile);

        // mtools through the partition offset: exactly the expected tree, by long name; every file identical.
        string drive = image + "@@1M";
        ToolResult listing = ExternalTool.Run("mdir", "-/", "-b", "-i", drive, "::");
        Assert.True(listing.ExitCode == 0, "mdir: " + listing);
        var expectedTree = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string path in files.Keys)
        {
            expectedTree.Add("::/" + path);
            for (int slash = path.IndexOf('/'); slash > 0; slash = path.IndexOf('/', slash + 1))
                expectedTree.Add("::/" + path[..(slash + 1)]);
        }

        var listed = new SortedSet<string>(listing.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.Ordinal);
        Assert.Equal(expectedTree, listed);
        foreach ((string path, string source) in files)
        {
            string extracted = Path.Combine(_directory, "extracted.bin");
            ToolResult copy = ExternalTool.Run("mcopy", "-n", "-o", "-i", drive, "::/" + path, extracted);
            Assert.True(copy.ExitCode == 0, $"mcopy {path}: {copy}");
            AssertSameBytes(source, extracted);
            File.Delete(extracted);
        }
    }

    private static void CopyExactly(Stream source, Stream target, long bytes)
    {
        var buffer = new byte[1 << 20];
        while (bytes > 0)
        {
            int read = source.Read(buffer, 0, (int)Math.Min(buffer.Length, bytes));
            Assert.True(read > 0, "the image ends inside its partition");
            target.Write(buffer, 0, read);
            bytes -= read;
        }
    }

    private static void AssertSameBytes(string expectedPath, string actualPath)
    {
        byte[] expected = File.ReadAllBytes(expectedPath);
        byte[] actual = File.ReadAllBytes(actualPath);
        Assert.Equal(expected.Length, actual.Length);
        Assert.True(expected.AsSpan().SequenceEqual(actual), $"{actualPath} differs from {expectedPath}");
    }

    private string Payload(string name, int bytes, int seed)
    {
        var data = new byte[bytes];
        new Random(seed).NextBytes(data);
        string path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, data);
        return path;
    }

    private string Text(string name, string content)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }
}
