// The kernel PE validation the loader relies on: one error per way the file
// can be wrong, the in-memory layout CopyTo produces, and seeded fuzzing.
using System.Buffers.Binary;
using Shared.Boot;
using Xunit;

namespace Host.Tests.Boot;

public sealed class PeImageTests
{
    private static PeError Parse(byte[] file) => PeImage.TryParse(file, out _);

    private static byte[] KernelFile() => PeFileBuilder.Kernel().Build();

    [Fact]
    public void ValidImage_Parses_WithItsHeaderFields()
    {
        byte[] file = KernelFile();
        Assert.Equal(PeError.None, PeImage.TryParse(file, out PeImage image));
        Assert.Equal(KernelLayout.KernelBase, image.ImageBase);
        Assert.Equal(0x1010u, image.EntryPointRva);
        Assert.Equal(0x7000u, image.SizeOfImage);
        Assert.Equal(PeFileBuilder.HeaderSize, image.SizeOfHeaders);
        Assert.Equal(3, image.SectionCount);
        Assert.True(image.GetSection(0).IsExecutable);
        Assert.False(image.GetSection(0).IsWritable);
        Assert.True(image.GetSection(2).IsWritable);
        Assert.Equal(0x3000u, image.GetSection(2).MemorySize);
        Assert.Equal(0x200u, image.GetSection(2).BytesFromFile);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(63)]
    [InlineData(0x90)]
    [InlineData(PeFileBuilder.SectionTableOffset + 10)]
    public void TruncatedImage_IsRejected_AsTruncated(int length)
    {
        byte[] file = KernelFile();
        Assert.Equal(PeError.Truncated, Parse(file.AsSpan(0, length).ToArray()));
    }

    [Fact]
    public void TruncatedSectionData_IsRejected_AsSectionBeyondFile()
    {
        byte[] file = KernelFile();
        Assert.Equal(PeError.SectionBeyondFile, Parse(file.AsSpan(0, file.Length - 1).ToArray()));
    }

    [Fact]
    public void BadDosSignature_IsRejected()
    {
        byte[] file = KernelFile();
        file[1] = (byte)'X';
        Assert.Equal(PeError.BadDosSignature, Parse(file));
    }

    [Fact]
    public void BadPeSignature_IsRejected()
    {
        byte[] file = KernelFile();
        file[PeFileBuilder.PeOffset + 1] = (byte)'F';
        Assert.Equal(PeError.BadPeSignature, Parse(file));
    }

    [Fact]
    public void PeOffsetPastTheFile_IsRejected_AsTruncated()
    {
        byte[] file = KernelFile();
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(0x3C), file.Length);
        Assert.Equal(PeError.Truncated, Parse(file));
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(0x3C), -8);
        Assert.Equal(PeError.Truncated, Parse(file));
    }

    [Theory]
    [InlineData((ushort)0x014C)] // i386
    [InlineData((ushort)0xAA64)] // arm64
    public void WrongMachine_IsRejected(ushort machine)
    {
        var builder = PeFileBuilder.Kernel();
        builder.Machine = machine;
        Assert.Equal(PeError.WrongMachine, Parse(builder.Build()));
    }

    [Fact]
    public void Pe32Image_IsRejected_AsNotPe32Plus()
    {
        byte[] file = KernelFile();
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(PeFileBuilder.OptionalOffset), 0x10B);
        Assert.Equal(PeError.NotPe32Plus, Parse(file));
    }

    [Fact]
    public void SectionDataOffsetPastTheFile_IsRejected_AsSectionBeyondFile()
    {
        byte[] file = KernelFile();
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(PeFileBuilder.SectionHeaderOffset(1) + 20), (uint)file.Length);
        Assert.Equal(PeError.SectionBeyondFile, Parse(file));
    }

    [Fact]
    public void SectionBeyondSizeOfImage_IsRejected()
    {
        byte[] file = KernelFile();
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(PeFileBuilder.SectionHeaderOffset(2) + 8), 0x10_0000);
        Assert.Equal(PeError.SectionOutsideImage, Parse(file));
    }

    [Fact]
    public void OverlappingSections_AreRejected()
    {
        var builder = PeFileBuilder.Kernel();
        builder.Add(".extra", 0x3000, 0x1000, new byte[0x200], PeSection.InitializedDataFlag | PeSection.ReadFlag);
        Assert.Equal(PeError.OverlappingSections, Parse(builder.Build()));
    }

    [Fact]
    public void EntryPointOutsideCode_IsRejected()
    {
        var builder = PeFileBuilder.Kernel();
        builder.EntryPointRva = 0x3010; // in .rdata
        Assert.Equal(PeError.EntryPointNotExecutable, Parse(builder.Build()));
        builder.EntryPointRva = 0x9000; // in no section
        Assert.Equal(PeError.EntryPointNotExecutable, Parse(builder.Build()));
    }

    [Fact]
    public void WritableAndExecutableSection_IsRejected()
    {
        var builder = new PeFileBuilder { EntryPointRva = 0x1000 };
        builder.Add(".text", 0x1000, 0x200, new byte[0x200], PeSection.CodeFlag | PeSection.ExecuteFlag | PeSection.ReadFlag | PeSection.WriteFlag);
        Assert.Equal(PeError.WritableAndExecutable, Parse(builder.Build()));
    }

    [Fact]
    public void UnalignedSectionOrImageBase_IsRejected()
    {
        byte[] file = KernelFile();
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(PeFileBuilder.SectionHeaderOffset(1) + 12), 0x3200);
        Assert.Equal(PeError.BadAlignment, Parse(file));

        var builder = PeFileBuilder.Kernel();
        builder.ImageBase = KernelLayout.KernelBase + 0x800;
        Assert.Equal(PeError.BadAlignment, Parse(builder.Build()));
    }

    [Fact]
    public void NoSectionsOrTooMany_AreRejected()
    {
        Assert.Equal(PeError.NoSections, Parse(new PeFileBuilder().Build()));

        byte[] file = KernelFile();
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(PeFileBuilder.CoffOffset + 2), PeImage.MaxSections + 1);
        Assert.Equal(PeError.TooManySections, Parse(file));
    }

    [Fact]
    public void HeaderSizeThatOverlapsASectionOrThePastFile_IsRejected()
    {
        byte[] file = KernelFile();
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(PeFileBuilder.OptionalOffset + 60), 0x1200);
        Assert.Equal(PeError.BadHeaderSize, Parse(file));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(PeFileBuilder.OptionalOffset + 60), 0x100);
        Assert.Equal(PeError.BadHeaderSize, Parse(file));
    }

    [Fact]
    public void ImageSizeZeroOrHuge_IsRejected()
    {
        byte[] file = KernelFile();
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(PeFileBuilder.OptionalOffset + 56), 0);
        Assert.Equal(PeError.BadImageSize, Parse(file));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(PeFileBuilder.OptionalOffset + 56), 0x8000_0000);
        Assert.Equal(PeError.BadImageSize, Parse(file));
    }

    [Fact]
    public void EveryError_HasItsOwnDescription()
    {
        string[] descriptions = Enum.GetValues<PeError>().Select(PeImage.Describe).ToArray();
        Assert.Equal(descriptions.Length, descriptions.Distinct().Count());
        Assert.DoesNotContain("unknown error", descriptions);
    }

    [Fact]
    public void CopyTo_LaysSectionsOutAtTheirRvas_AndZeroFillsTheRest()
    {
        PeFileBuilder builder = PeFileBuilder.Kernel();
        byte[] file = builder.Build();
        Assert.Equal(PeError.None, PeImage.TryParse(file, out PeImage image));
        byte[] memory = Enumerable.Repeat((byte)0xEE, (int)image.PageAlignedSize + 0x1000).ToArray();

        image.CopyTo(memory);

        Assert.Equal(file.AsSpan(0, (int)PeFileBuilder.HeaderSize).ToArray(), memory.AsSpan(0, (int)PeFileBuilder.HeaderSize).ToArray());
        Assert.All(memory.AsSpan((int)PeFileBuilder.HeaderSize, 0x1000 - (int)PeFileBuilder.HeaderSize).ToArray(), b => Assert.Equal(0, b));
        foreach (PeFileBuilder.Section section in builder.Sections)
            Assert.Equal(section.Data, memory.AsSpan((int)section.Rva, section.Data.Length).ToArray());

        // .data: 0x200 bytes from the file, then .bss up to the end of the image.
        Assert.All(memory.AsSpan(0x4200, (int)image.PageAlignedSize - 0x4200).ToArray(), b => Assert.Equal(0, b));
        Assert.Equal(0xEE, memory[(int)image.PageAlignedSize]); // nothing written past the image
    }

    [Fact]
    public void CorruptedImages_NeverCrashTheParser_AndWhatParsesStaysInBounds()
    {
        byte[] original = KernelFile();
        var random = new Random(20261103);
        for (int round = 0; round < 20_000; round++)
        {
            byte[] file = (byte[])original.Clone();
            int flips = random.Next(1, 6);
            for (int i = 0; i < flips; i++)
            {
                // Mostly the headers, where a flipped bit changes the meaning of the file.
                int offset = random.Next(4) == 0 ? random.Next(file.Length) : random.Next((int)PeFileBuilder.HeaderSize);
                file[offset] ^= (byte)(1 << random.Next(8));
            }

            if (random.Next(8) == 0)
                file = file.AsSpan(0, random.Next(file.Length)).ToArray();

            if (PeImage.TryParse(file, out PeImage image) != PeError.None)
                continue;
            Assert.True(image.PageAlignedSize <= PeImage.MaxImageSize);
            if (image.PageAlignedSize <= 1 << 20)
                image.CopyTo(new byte[image.PageAlignedSize]);
            for (int s = 0; s < image.SectionCount; s++)
                Assert.True(image.GetSection(s).End <= image.SizeOfImage);
        }
    }
}
