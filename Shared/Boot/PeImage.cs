// Reads and validates the kernel's PE32+ image (the loader maps it from the
// bytes embedded in BOOTX64.EFI), and copies it into memory the way it is laid
// out at run time. Every way the file can be wrong has its own error, so a
// damaged image is reported precisely instead of crashing the loader.
using System;
using System.Buffers.Binary;

namespace Shared.Boot;

public enum PeError
{
    None,
    Truncated,
    BadDosSignature,
    BadPeSignature,
    WrongMachine,
    NotPe32Plus,
    BadAlignment,
    NoSections,
    TooManySections,
    SectionBeyondFile,
    SectionOutsideImage,
    OverlappingSections,
    EntryPointNotExecutable,

    /// <summary>A section is both writable and executable: the loader maps W^X and refuses it.</summary>
    WritableAndExecutable,

    /// <summary>SizeOfHeaders reaches into the first section, or past the file.</summary>
    BadHeaderSize,

    /// <summary>SizeOfImage is zero or larger than the loader accepts (KernelLayout-independent sanity bound).</summary>
    BadImageSize,
}

public readonly struct PeSection
{
    public const uint CodeFlag = 0x00000020;
    public const uint InitializedDataFlag = 0x00000040;
    public const uint UninitializedDataFlag = 0x00000080;
    public const uint ExecuteFlag = 0x20000000;
    public const uint ReadFlag = 0x40000000;
    public const uint WriteFlag = 0x80000000;

    /// <summary>The 8 name bytes, little-endian (".text" = 0x747865742E).</summary>
    public ulong Name { get; init; }

    public uint VirtualAddress { get; init; }

    public uint VirtualSize { get; init; }

    public uint RawDataOffset { get; init; }

    public uint RawDataSize { get; init; }

    public uint Characteristics { get; init; }

    public bool IsExecutable => (Characteristics & ExecuteFlag) != 0;

    public bool IsWritable => (Characteristics & WriteFlag) != 0;

    /// <summary>Bytes the section occupies in memory: the larger of its virtual and raw sizes.</summary>
    public uint MemorySize => VirtualSize > RawDataSize ? VirtualSize : RawDataSize;

    /// <summary>Bytes to copy from the file (the rest of MemorySize is zero-filled).</summary>
    public uint BytesFromFile => RawDataSize < MemorySize ? RawDataSize : MemorySize;

    public uint End => VirtualAddress + MemorySize;

    public void WriteName(Span<char> destination, out int written)
    {
        written = 0;
        for (int i = 0; i < 8 && written < destination.Length; i++)
        {
            char c = (char)((Name >> (8 * i)) & 0xFF);
            if (c == '\0')
                break;
            destination[written++] = c;
        }
    }
}

public readonly ref struct PeImage
{
    public const int MaxSections = 32;

    /// <summary>1 GiB: far beyond any kernel this project builds, small enough that sizes cannot overflow.</summary>
    public const uint MaxImageSize = 1u << 30;
    private const ushort MachineAmd64 = 0x8664;
    private const ushort Pe32PlusMagic = 0x20B;
    private const int SectionHeaderSize = 40;

    private readonly ReadOnlySpan<byte> _file;
    private readonly int _sectionTable;

    private PeImage(ReadOnlySpan<byte> file, int sectionTable, int sectionCount, ulong imageBase, uint entryPoint, uint sizeOfImage, uint sectionAlignment, uint sizeOfHeaders)
    {
        _file = file;
        _sectionTable = sectionTable;
        SectionCount = sectionCount;
        ImageBase = imageBase;
        EntryPointRva = entryPoint;
        SizeOfImage = sizeOfImage;
        SectionAlignment = sectionAlignment;
        SizeOfHeaders = sizeOfHeaders;
    }

    public int SectionCount { get; }

    public ulong ImageBase { get; }

    public uint EntryPointRva { get; }

    public uint SizeOfImage { get; }

    public uint SectionAlignment { get; }

    /// <summary>Bytes of headers at the start of the file, also present at the start of the loaded image.</summary>
    public uint SizeOfHeaders { get; }

    /// <summary>SizeOfImage rounded up to whole pages: the memory the loaded image occupies.</summary>
    public ulong PageAlignedSize => ((ulong)SizeOfImage + 4095) & ~4095UL;

    public ReadOnlySpan<byte> File => _file;

    public PeSection GetSection(int index)
    {
        ReadOnlySpan<byte> header = _file.Slice(_sectionTable + (index * SectionHeaderSize), SectionHeaderSize);
        return new PeSection
        {
            Name = BinaryPrimitives.ReadUInt64LittleEndian(header),
            VirtualSize = BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(8)),
            VirtualAddress = BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(12)),
            RawDataSize = BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(16)),
            RawDataOffset = BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(20)),
            Characteristics = BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(36)),
        };
    }

    /// <summary>
    /// Lays the image out in <paramref name="memory"/> (at least PageAlignedSize bytes) as it runs: the headers at
    /// offset 0, each section at its RVA, and zeros everywhere the file has no bytes (.bss, gaps, padding).
    /// </summary>
    public void CopyTo(Span<byte> memory)
    {
        memory = memory.Slice(0, (int)PageAlignedSize);
        memory.Clear();
        _file.Slice(0, (int)SizeOfHeaders).CopyTo(memory);
        for (int i = 0; i < SectionCount; i++)
        {
            PeSection section = GetSection(i);
            SectionData(section).CopyTo(memory.Slice((int)section.VirtualAddress));
        }
    }

    /// <summary>The bytes of a section that come from the file.</summary>
    public ReadOnlySpan<byte> SectionData(PeSection section) => _file.Slice((int)section.RawDataOffset, (int)section.BytesFromFile);

    public static PeError TryParse(ReadOnlySpan<byte> file, out PeImage image)
    {
        image = default;
        if (file.Length < 64)
            return PeError.Truncated;
        if (file[0] != (byte)'M' || file[1] != (byte)'Z')
            return PeError.BadDosSignature;

        int peOffset = BinaryPrimitives.ReadInt32LittleEndian(file.Slice(0x3C));
        if (peOffset < 0 || peOffset > file.Length - 24)
            return PeError.Truncated;
        if (BinaryPrimitives.ReadUInt32LittleEndian(file.Slice(peOffset)) != 0x00004550)
            return PeError.BadPeSignature;

        ReadOnlySpan<byte> coff = file.Slice(peOffset + 4);
        if (BinaryPrimitives.ReadUInt16LittleEndian(coff) != MachineAmd64)
            return PeError.WrongMachine;
        int sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(coff.Slice(2));
        int optionalSize = BinaryPrimitives.ReadUInt16LittleEndian(coff.Slice(16));
        int optionalOffset = peOffset + 24;
        if (optionalSize < 112 || optionalOffset + optionalSize > file.Length)
            return PeError.Truncated;

        ReadOnlySpan<byte> optional = file.Slice(optionalOffset, optionalSize);
        if (BinaryPrimitives.ReadUInt16LittleEndian(optional) != Pe32PlusMagic)
            return PeError.NotPe32Plus;

        uint entryPoint = BinaryPrimitives.ReadUInt32LittleEndian(optional.Slice(16));
        ulong imageBase = BinaryPrimitives.ReadUInt64LittleEndian(optional.Slice(24));
        uint sectionAlignment = BinaryPrimitives.ReadUInt32LittleEndian(optional.Slice(32));
        uint sizeOfImage = BinaryPrimitives.ReadUInt32LittleEndian(optional.Slice(56));
        uint sizeOfHeaders = BinaryPrimitives.ReadUInt32LittleEndian(optional.Slice(60));
        if (sectionAlignment < 4096 || (sectionAlignment & (sectionAlignment - 1)) != 0 || (imageBase & 0xFFF) != 0)
            return PeError.BadAlignment;
        if (sizeOfImage == 0 || sizeOfImage > MaxImageSize)
            return PeError.BadImageSize;

        if (sectionCount == 0)
            return PeError.NoSections;
        if (sectionCount > MaxSections)
            return PeError.TooManySections;
        int sectionTable = optionalOffset + optionalSize;
        if (sectionTable + (sectionCount * SectionHeaderSize) > file.Length)
            return PeError.Truncated;

        if (sizeOfHeaders < sectionTable + (sectionCount * SectionHeaderSize) || sizeOfHeaders > file.Length || sizeOfHeaders > sizeOfImage)
            return PeError.BadHeaderSize;

        var parsed = new PeImage(file, sectionTable, sectionCount, imageBase, entryPoint, sizeOfImage, sectionAlignment, sizeOfHeaders);
        PeError error = parsed.ValidateSections();
        if (error != PeError.None)
            return error;
        image = parsed;
        return PeError.None;
    }

    private PeError ValidateSections()
    {
        bool entryInCode = false;
        for (int i = 0; i < SectionCount; i++)
        {
            PeSection section = GetSection(i);
            if ((ulong)section.RawDataOffset + section.BytesFromFile > (ulong)_file.Length)
                return PeError.SectionBeyondFile;
            if ((section.VirtualAddress & (SectionAlignment - 1)) != 0)
                return PeError.BadAlignment;
            if ((ulong)section.VirtualAddress + section.MemorySize > SizeOfImage)
                return PeError.SectionOutsideImage;
            if (section.VirtualAddress < SizeOfHeaders)
                return PeError.BadHeaderSize;
            if (section.IsWritable && section.IsExecutable)
                return PeError.WritableAndExecutable;

            for (int j = 0; j < i; j++)
            {
                PeSection other = GetSection(j);
                if (section.VirtualAddress < other.End && other.VirtualAddress < section.End)
                    return PeError.OverlappingSections;
            }

            if (section.IsExecutable && EntryPointRva >= section.VirtualAddress && EntryPointRva < section.End)
                entryInCode = true;
        }

        return entryInCode ? PeError.None : PeError.EntryPointNotExecutable;
    }

    public static string Describe(PeError error) => error switch
    {
        PeError.None => "valid",
        PeError.Truncated => "the image is truncated (headers extend past the end of the file)",
        PeError.BadDosSignature => "bad DOS signature (expected 'MZ')",
        PeError.BadPeSignature => "bad PE signature (expected 'PE\\0\\0')",
        PeError.WrongMachine => "wrong machine type (expected x86-64, 0x8664)",
        PeError.NotPe32Plus => "not a PE32+ image (optional header magic is not 0x20B)",
        PeError.BadAlignment => "image base or section addresses are not page aligned",
        PeError.NoSections => "the image has no sections",
        PeError.TooManySections => "the image has more sections than the loader supports",
        PeError.SectionBeyondFile => "a section's data extends past the end of the file",
        PeError.SectionOutsideImage => "a section extends past SizeOfImage",
        PeError.OverlappingSections => "two sections overlap in memory",
        PeError.EntryPointNotExecutable => "the entry point is not inside an executable section",
        PeError.WritableAndExecutable => "a section is both writable and executable (the loader maps W^X)",
        PeError.BadHeaderSize => "SizeOfHeaders is too small for the headers, past the file, or overlaps a section",
        PeError.BadImageSize => "SizeOfImage is zero or larger than 1 GiB",
        _ => "unknown error",
    };
}
