// Writes small PE32+ images for the PE parser and address-space tests: a DOS
// header, the PE signature, a COFF header, a PE32+ optional header with 16
// data directories, the section table, and the sections' raw data, laid out
// the way lld-link lays out the kernel (file alignment 0x200, section
// alignment 0x1000). Offsets of the header fields are exposed so tests can
// corrupt exactly one thing.
using System.Buffers.Binary;
using System.Text;
using Shared.Boot;

namespace Host.Tests.Boot;

public sealed class PeFileBuilder
{
    public const int PeOffset = 0x80;
    public const int CoffOffset = PeOffset + 4;
    public const int OptionalOffset = CoffOffset + 20;
    public const int OptionalSize = 240;
    public const int SectionTableOffset = OptionalOffset + OptionalSize;
    public const int SectionHeaderSize = 40;
    public const uint HeaderSize = 0x400;

    private readonly List<Section> _sections = new();

    public ulong ImageBase { get; set; } = KernelLayout.KernelBase;

    public uint EntryPointRva { get; set; }

    public ushort Machine { get; set; } = 0x8664;

    public IReadOnlyList<Section> Sections => _sections;

    /// <summary>A kernel-like image: code (RX), read-only data (R), data with a .bss tail (RW).</summary>
    public static PeFileBuilder Kernel()
    {
        var builder = new PeFileBuilder { EntryPointRva = 0x1010 };
        builder.Add(".text", 0x1000, 0xC00, Pattern(0xC00, 0xC3), PeSection.CodeFlag | PeSection.ExecuteFlag | PeSection.ReadFlag);
        builder.Add(".rdata", 0x3000, 0x900, Pattern(0x900, 0x52), PeSection.InitializedDataFlag | PeSection.ReadFlag);
        builder.Add(".data", 0x4000, 0x3000, Pattern(0x200, 0xDA), PeSection.InitializedDataFlag | PeSection.ReadFlag | PeSection.WriteFlag);
        return builder;
    }

    public PeFileBuilder Add(string name, uint rva, uint virtualSize, byte[] data, uint characteristics)
    {
        _sections.Add(new Section(name, rva, virtualSize, data, characteristics));
        return this;
    }

    /// <summary>SizeOfImage: the end of the last section, rounded up to the section alignment.</summary>
    public uint SizeOfImage => _sections.Count == 0 ? 0x1000 : (uint)((_sections.Max(s => s.Rva + Math.Max(s.VirtualSize, (uint)s.Data.Length)) + 0xFFF) & ~0xFFF);

    /// <summary>Where section <paramref name="index"/>'s raw data starts in the file.</summary>
    public uint RawOffset(int index)
    {
        uint offset = HeaderSize;
        for (int i = 0; i < index; i++)
            offset += FileAligned((uint)_sections[i].Data.Length);
        return offset;
    }

    public static int SectionHeaderOffset(int index) => SectionTableOffset + (index * SectionHeaderSize);

    public byte[] Build()
    {
        uint fileSize = RawOffset(_sections.Count);
        var file = new byte[fileSize];
        file[0] = (byte)'M';
        file[1] = (byte)'Z';
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(0x3C), PeOffset);
        Encoding.ASCII.GetBytes("PE\0\0").CopyTo(file, PeOffset);

        Span<byte> coff = file.AsSpan(CoffOffset, 20);
        BinaryPrimitives.WriteUInt16LittleEndian(coff, Machine);
        BinaryPrimitives.WriteUInt16LittleEndian(coff.Slice(2), (ushort)_sections.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(coff.Slice(16), OptionalSize);
        BinaryPrimitives.WriteUInt16LittleEndian(coff.Slice(18), 0x0022); // executable, large-address aware

        Span<byte> optional = file.AsSpan(OptionalOffset, OptionalSize);
        BinaryPrimitives.WriteUInt16LittleEndian(optional, 0x20B);
        BinaryPrimitives.WriteUInt32LittleEndian(optional.Slice(16), EntryPointRva);
        BinaryPrimitives.WriteUInt64LittleEndian(optional.Slice(24), ImageBase);
        BinaryPrimitives.WriteUInt32LittleEndian(optional.Slice(32), 0x1000);
        BinaryPrimitives.WriteUInt32LittleEndian(optional.Slice(36), 0x200);
        BinaryPrimitives.WriteUInt32LittleEndian(optional.Slice(56), SizeOfImage);
        BinaryPrimitives.WriteUInt32LittleEndian(optional.Slice(60), HeaderSize);
        BinaryPrimitives.WriteUInt16LittleEndian(optional.Slice(68), 1); // subsystem: native
        BinaryPrimitives.WriteUInt32LittleEndian(optional.Slice(108), 16);

        for (int i = 0; i < _sections.Count; i++)
        {
            Section section = _sections[i];
            Span<byte> header = file.AsSpan(SectionHeaderOffset(i), SectionHeaderSize);
            Encoding.ASCII.GetBytes(section.Name).CopyTo(header);
            BinaryPrimitives.WriteUInt32LittleEndian(header.Slice(8), section.VirtualSize);
            BinaryPrimitives.WriteUInt32LittleEndian(header.Slice(12), section.Rva);
            BinaryPrimitives.WriteUInt32LittleEndian(header.Slice(16), FileAligned((uint)section.Data.Length));
            BinaryPrimitives.WriteUInt32LittleEndian(header.Slice(20), section.Data.Length == 0 ? 0 : RawOffset(i));
            BinaryPrimitives.WriteUInt32LittleEndian(header.Slice(36), section.Characteristics);
            section.Data.CopyTo(file, RawOffset(i));
        }

        return file;
    }

    public static byte[] Pattern(int length, byte seed)
    {
        var data = new byte[length];
        for (int i = 0; i < length; i++)
            data[i] = (byte)(seed + (i * 7));
        return data;
    }

    private static uint FileAligned(uint size) => (size + 0x1FF) & ~0x1FFu;

    public sealed record Section(string Name, uint Rva, uint VirtualSize, byte[] Data, uint Characteristics);
}
