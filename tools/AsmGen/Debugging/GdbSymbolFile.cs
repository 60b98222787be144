// Writes the kernel's symbol file for gdb: an ELF file that holds no code, only what a debugger
// needs beside the running image - the image's sections at their addresses (as NOBITS, the way
// a separate debug file does it), a symbol for every function in the linker map (ILCompiler's
// names and the dotted C# names), and .debug_frame translated from the image's .pdata/.xdata so
// backtraces walk through ILCompiler's frames. gdb loads it with `gdb kernel.gdb.elf`.
using System.Text;
using AsmGen.Symbols;

namespace AsmGen.Debugging;

public static class GdbSymbolFile
{
    public sealed record Section(string Name, ulong Address, uint Size, bool Code, bool Writable);

    public sealed record Function(string Name, ulong Address, ulong Size);

    public sealed record Result(byte[] Elf, int Functions, int FramesDescribed, int FramesSkipped);

    /// <summary>Builds the file from the kernel image and its linker map.</summary>
    public static Result Build(byte[] image, LinkerMap map)
    {
        var pe = PeView.Parse(image);
        var functions = Functions(map, pe);
        var (frames, described, skipped) = DebugFrame(pe);
        return new Result(Elf(pe.Sections, functions, frames), functions.Count, described, skipped);
    }

    /// <summary>Every symbol of the map that lies in a code section, sized up to the next one; dotted C# names added.</summary>
    public static List<Function> Functions(LinkerMap map, PeView pe)
    {
        var code = map.Symbols
            .Where(s => pe.Sections.Any(section => section.Code && s.Address >= section.Address && s.Address < section.Address + section.Size))
            .GroupBy(s => s.Name).Select(g => g.First())
            .OrderBy(s => s.Address).ToList();
        var functions = new List<Function>();
        for (int i = 0; i < code.Count; i++)
        {
            Section section = pe.Sections.First(s => code[i].Address >= s.Address && code[i].Address < s.Address + s.Size);
            ulong end = section.Address + section.Size;
            ulong next = code.Skip(i + 1).Select(s => s.Address).FirstOrDefault(a => a > code[i].Address && a < end, end);
            // The C# name first: gdb shows it in backtraces; both can be typed.
            string readable = SymbolNames.Readable(code[i].Name);
            if (readable != code[i].Name)
                functions.Add(new Function(readable, code[i].Address, next - code[i].Address));
            functions.Add(new Function(code[i].Name, code[i].Address, next - code[i].Address));
        }

        return functions;
    }

    // .debug_frame: one CIE (CFA = RSP + 8, return address at CFA - 8) and one FDE per RUNTIME_FUNCTION.
    private static (byte[] Bytes, int Described, int Skipped) DebugFrame(PeView pe)
    {
        var frame = new List<byte>();
        var cie = new List<byte>();
        cie.AddRange(BitConverter.GetBytes(0xFFFFFFFFu)); // CIE id
        cie.Add(1); // version
        cie.Add(0); // no augmentation
        UnwindToCfi.Uleb(cie, 1); // code alignment
        cie.Add(0x78); // data alignment -8 (SLEB128)
        cie.Add(UnwindToCfi.DwarfReturnAddress);
        cie.AddRange(new byte[] { 0x0C, UnwindToCfi.DwarfRsp, 8 }); // DW_CFA_def_cfa rsp, 8
        cie.AddRange(new byte[] { 0x80 | UnwindToCfi.DwarfReturnAddress, 1 }); // DW_CFA_offset rip, cfa-8
        AppendEntry(frame, cie);

        int described = 0;
        int skipped = 0;
        foreach ((uint begin, uint end, uint unwind) in pe.RuntimeFunctions())
        {
            byte[]? instructions = UnwindToCfi.Translate(pe.Read, unwind);
            if (instructions is null)
            {
                skipped++;
                continue;
            }

            var fde = new List<byte>();
            fde.AddRange(BitConverter.GetBytes(0u)); // the CIE at offset 0
            fde.AddRange(BitConverter.GetBytes(pe.ImageBase + begin));
            fde.AddRange(BitConverter.GetBytes((ulong)(end - begin)));
            fde.AddRange(instructions);
            AppendEntry(frame, fde);
            described++;
        }

        return (frame.ToArray(), described, skipped);
    }

    // Length-prefixed, padded with DW_CFA_nop to a multiple of 8 bytes.
    private static void AppendEntry(List<byte> frame, List<byte> body)
    {
        while ((body.Count + 4) % 8 != 0)
            body.Add(0);
        frame.AddRange(BitConverter.GetBytes(body.Count));
        frame.AddRange(body);
    }

    private static byte[] Elf(IReadOnlyList<Section> sections, List<Function> functions, byte[] debugFrame)
    {
        var names = new StringTable();
        var symbolNames = new StringTable();
        // Section indices: 0 null, 1..n the image's sections, then .debug_frame, .symtab, .strtab, .shstrtab.
        int frameIndex = sections.Count + 1;
        int symtabIndex = frameIndex + 1;
        int strtabIndex = symtabIndex + 1;
        int shstrtabIndex = strtabIndex + 1;

        var symtab = new List<byte>(new byte[24]);
        foreach (Function function in functions)
        {
            int section = 1 + sections.ToList().FindIndex(s => function.Address >= s.Address && function.Address < s.Address + s.Size);
            symtab.AddRange(BitConverter.GetBytes(symbolNames.Add(function.Name)));
            symtab.Add(0x12); // STB_GLOBAL, STT_FUNC
            symtab.Add(0);
            symtab.AddRange(BitConverter.GetBytes((ushort)section));
            symtab.AddRange(BitConverter.GetBytes(function.Address));
            symtab.AddRange(BitConverter.GetBytes(function.Size));
        }

        var headers = new List<(uint Name, uint Type, ulong Flags, ulong Address, byte[]? Data, ulong Size, uint Link, uint Info, ulong Align, ulong EntrySize)>
        {
            (0, 0, 0, 0, null, 0, 0, 0, 0, 0),
        };
        foreach (Section section in sections)
        {
            ulong flags = 2 | (section.Code ? 4UL : 0) | (section.Writable ? 1UL : 0); // SHF_ALLOC | EXECINSTR | WRITE
            headers.Add((names.Add(section.Name), 8, flags, section.Address, null, section.Size, 0, 0, 16, 0)); // SHT_NOBITS
        }

        headers.Add((names.Add(".debug_frame"), 1, 0, 0, debugFrame, (ulong)debugFrame.Length, 0, 0, 8, 0));
        headers.Add((names.Add(".symtab"), 2, 0, 0, symtab.ToArray(), (ulong)symtab.Count, (uint)strtabIndex, 1, 8, 24));
        headers.Add((names.Add(".strtab"), 3, 0, 0, symbolNames.Bytes, (ulong)symbolNames.Bytes.Length, 0, 0, 1, 0));
        uint shstrtabName = names.Add(".shstrtab");
        headers.Add((shstrtabName, 3, 0, 0, names.Bytes, (ulong)names.Bytes.Length, 0, 0, 1, 0));

        var file = new List<byte>(new byte[64]);
        var offsets = new ulong[headers.Count];
        for (int i = 0; i < headers.Count; i++)
        {
            if (headers[i].Data is not byte[] data)
                continue;
            while (file.Count % 8 != 0)
                file.Add(0);
            offsets[i] = (ulong)file.Count;
            file.AddRange(data);
        }

        while (file.Count % 8 != 0)
            file.Add(0);
        ulong sectionHeaders = (ulong)file.Count;
        for (int i = 0; i < headers.Count; i++)
        {
            var h = headers[i];
            file.AddRange(BitConverter.GetBytes(h.Name));
            file.AddRange(BitConverter.GetBytes(h.Type));
            file.AddRange(BitConverter.GetBytes(h.Flags));
            file.AddRange(BitConverter.GetBytes(h.Address));
            file.AddRange(BitConverter.GetBytes(offsets[i]));
            file.AddRange(BitConverter.GetBytes(h.Size));
            file.AddRange(BitConverter.GetBytes(h.Link));
            file.AddRange(BitConverter.GetBytes(h.Info));
            file.AddRange(BitConverter.GetBytes(h.Align));
            file.AddRange(BitConverter.GetBytes(h.EntrySize));
        }

        byte[] bytes = file.ToArray();
        var header = new List<byte> { 0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0 }; // 64-bit, little-endian, version 1, System V
        header.AddRange(new byte[8]);
        header.AddRange(BitConverter.GetBytes((ushort)2)); // ET_EXEC
        header.AddRange(BitConverter.GetBytes((ushort)62)); // EM_X86_64
        header.AddRange(BitConverter.GetBytes(1u));
        header.AddRange(BitConverter.GetBytes(0UL)); // entry
        header.AddRange(BitConverter.GetBytes(0UL)); // no program headers
        header.AddRange(BitConverter.GetBytes(sectionHeaders));
        header.AddRange(BitConverter.GetBytes(0u)); // flags
        header.AddRange(BitConverter.GetBytes((ushort)64));
        header.AddRange(BitConverter.GetBytes((ushort)56));
        header.AddRange(BitConverter.GetBytes((ushort)0));
        header.AddRange(BitConverter.GetBytes((ushort)64));
        header.AddRange(BitConverter.GetBytes((ushort)headers.Count));
        header.AddRange(BitConverter.GetBytes((ushort)shstrtabIndex));
        header.CopyTo(bytes, 0);
        return bytes;
    }

    private sealed class StringTable
    {
        private readonly List<byte> _bytes = new() { 0 };

        public byte[] Bytes => _bytes.ToArray();

        public uint Add(string text)
        {
            uint offset = (uint)_bytes.Count;
            _bytes.AddRange(Encoding.UTF8.GetBytes(text));
            _bytes.Add(0);
            return offset;
        }
    }
}
