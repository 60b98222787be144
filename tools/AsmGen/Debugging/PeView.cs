// The few parts of a PE32+ image the debugger's symbol file needs: image base, sections and
// the exception directory (.pdata: RUNTIME_FUNCTION {begin, end, unwind info} RVAs).
namespace AsmGen.Debugging;

public sealed class PeView
{
    private readonly byte[] _image;
    private readonly List<(uint Rva, uint Size, uint FileOffset, uint FileSize)> _layout = new();
    private readonly uint _exceptionRva;
    private readonly uint _exceptionSize;

    private PeView(byte[] image, ulong imageBase, List<GdbSymbolFile.Section> sections, uint exceptionRva, uint exceptionSize)
    {
        _image = image;
        ImageBase = imageBase;
        Sections = sections;
        _exceptionRva = exceptionRva;
        _exceptionSize = exceptionSize;
    }

    public ulong ImageBase { get; }

    public IReadOnlyList<GdbSymbolFile.Section> Sections { get; }

    public static PeView Parse(byte[] image)
    {
        if (image.Length < 0x40 || image[0] != 'M' || image[1] != 'Z')
            throw new InvalidDataException("not a PE image (no MZ signature)");
        int pe = BitConverter.ToInt32(image, 0x3C);
        if (BitConverter.ToUInt32(image, pe) != 0x4550)
            throw new InvalidDataException("not a PE image (no PE signature)");
        int sectionCount = BitConverter.ToUInt16(image, pe + 6);
        int optionalSize = BitConverter.ToUInt16(image, pe + 20);
        int optional = pe + 24;
        if (BitConverter.ToUInt16(image, optional) != 0x20B)
            throw new InvalidDataException("not a PE32+ image");
        ulong imageBase = BitConverter.ToUInt64(image, optional + 24);
        uint exceptionRva = BitConverter.ToUInt32(image, optional + 112 + (3 * 8));
        uint exceptionSize = BitConverter.ToUInt32(image, optional + 112 + (3 * 8) + 4);

        var sections = new List<GdbSymbolFile.Section>();
        var layout = new List<(uint, uint, uint, uint)>();
        for (int i = 0; i < sectionCount; i++)
        {
            int header = optional + optionalSize + (i * 40);
            string name = System.Text.Encoding.ASCII.GetString(image, header, 8).TrimEnd('\0');
            uint virtualSize = BitConverter.ToUInt32(image, header + 8);
            uint rva = BitConverter.ToUInt32(image, header + 12);
            uint rawSize = BitConverter.ToUInt32(image, header + 16);
            uint rawOffset = BitConverter.ToUInt32(image, header + 20);
            uint characteristics = BitConverter.ToUInt32(image, header + 36);
            sections.Add(new GdbSymbolFile.Section(name, imageBase + rva, virtualSize, (characteristics & 0x20000000) != 0, (characteristics & 0x80000000) != 0));
            layout.Add((rva, virtualSize, rawOffset, rawSize));
        }

        var view = new PeView(image, imageBase, sections, exceptionRva, exceptionSize);
        view._layout.AddRange(layout);
        return view;
    }

    /// <summary><paramref name="count"/> bytes of the loaded image at <paramref name="rva"/> (zeros past a section's file data).</summary>
    public byte[] Read(uint rva, int count)
    {
        var result = new byte[count];
        foreach (var (sectionRva, size, fileOffset, fileSize) in _layout)
        {
            if (rva < sectionRva || rva + (uint)count > sectionRva + Math.Max(size, fileSize))
                continue;
            uint within = rva - sectionRva;
            int available = (int)Math.Clamp((long)fileSize - within, 0, count);
            Array.Copy(_image, fileOffset + within, result, 0, available);
            return result;
        }

        throw new InvalidDataException($"RVA 0x{rva:X} (+{count}) is in no section of the image");
    }

    /// <summary>The exception directory's entries.</summary>
    public IEnumerable<(uint Begin, uint End, uint Unwind)> RuntimeFunctions()
    {
        byte[] table = Read(_exceptionRva, (int)_exceptionSize);
        for (int i = 0; i + 12 <= table.Length; i += 12)
            yield return (BitConverter.ToUInt32(table, i), BitConverter.ToUInt32(table, i + 4), BitConverter.ToUInt32(table, i + 8));
    }
}
