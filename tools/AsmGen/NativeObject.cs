// Collects the functions and data of one object file. Each function is
// assembled on its own with Iced at its final offset in .text; references to
// symbols outside the function (other functions, managed code, linker
// symbols) are emitted as raw rel32/abs64 fields plus COFF relocations, so
// lld-link resolves them.
using Iced.Intel;

namespace AsmGen;

public sealed record NativeFunction(string Name, int Offset, int Size, string Summary, UnwindDescription? Unwind = null);

public sealed class NativeObject
{
    private const byte Int3 = 0xCC;

    public CoffSection Text { get; } = new(".text", CoffWriter.TextCharacteristics);
    public CoffSection Data { get; } = new(".data", CoffWriter.DataCharacteristics);
    public CoffSection ReadOnlyData { get; } = new(".rdata", CoffWriter.ReadOnlyDataCharacteristics);
    public CoffSection Bss { get; } = new(".bss", CoffWriter.BssCharacteristics);

    /// <summary>RUNTIME_FUNCTION entries for the functions that describe their prolog (see FunctionEmitter.Unwind).</summary>
    public CoffSection Pdata { get; } = new(".pdata", CoffWriter.ReadOnlyDataCharacteristics & ~CoffWriter.AlignMask | CoffWriter.Align4);

    /// <summary>The UNWIND_INFO blocks those entries point to.</summary>
    public CoffSection Xdata { get; } = new(".xdata", CoffWriter.ReadOnlyDataCharacteristics & ~CoffWriter.AlignMask | CoffWriter.Align4);

    public List<NativeFunction> Functions { get; } = new();

    /// <summary>Assembles one global function. <paramref name="summary"/> is its contract, shown in the listing.</summary>
    public void Function(string name, string summary, Action<FunctionEmitter> body)
    {
        Text.Align(16, Int3);
        int offset = Text.Data.Count;
        var emitter = new FunctionEmitter();
        body(emitter);
        byte[] code = emitter.Assemble((ulong)offset, out List<CoffRelocation> relocations, out UnwindDescription? unwind);
        Text.Data.AddRange(code);
        foreach (CoffRelocation relocation in relocations)
            Text.Relocations.Add(relocation with { Offset = relocation.Offset + (uint)offset });
        Text.Symbols.Add(new CoffSymbol(name, (uint)offset, IsFunction: true));
        Functions.Add(new NativeFunction(name, offset, code.Length, summary, unwind));
        if (unwind is not null)
            AddUnwindData(name, code.Length, unwind);
    }

    // .pdata: {begin, end, unwind info} as image-relative addresses (ADDR32NB relocations against the
    // function's symbol with the offset as addend, and against the UNWIND_INFO's symbol in .xdata).
    private void AddUnwindData(string function, int size, UnwindDescription unwind)
    {
        Xdata.Align(4, 0);
        string info = "$unwind$" + function;
        Xdata.Symbols.Add(new CoffSymbol(info, (uint)Xdata.Data.Count, IsFunction: false));
        Xdata.Data.AddRange(unwind.Encode());

        uint entry = (uint)Pdata.Data.Count;
        Pdata.Data.AddRange(new byte[4]);
        Pdata.Data.AddRange(BitConverter.GetBytes((uint)size));
        Pdata.Data.AddRange(new byte[4]);
        Pdata.Relocations.Add(new CoffRelocation(entry, function, CoffRelocationType.Addr32NB));
        Pdata.Relocations.Add(new CoffRelocation(entry + 4, function, CoffRelocationType.Addr32NB));
        Pdata.Relocations.Add(new CoffRelocation(entry + 8, info, CoffRelocationType.Addr32NB));
    }

    /// <summary>A global 64-bit variable in .data.</summary>
    public void Variable64(string name, ulong initialValue)
    {
        Data.Align(8, 0);
        Data.Symbols.Add(new CoffSymbol(name, (uint)Data.Data.Count, IsFunction: false));
        Data.Data.AddRange(BitConverter.GetBytes(initialValue));
    }

    /// <summary>A global 32-bit variable in .data.</summary>
    public void Variable32(string name, uint initialValue)
    {
        Data.Align(8, 0);
        Data.Symbols.Add(new CoffSymbol(name, (uint)Data.Data.Count, IsFunction: false));
        Data.Data.AddRange(BitConverter.GetBytes(initialValue));
    }

    /// <summary>A read-only table of 64-bit addresses of the given symbols (e.g. interrupt stub entry points).</summary>
    public void AddressTable(string name, IReadOnlyList<string> symbols)
    {
        ReadOnlyData.Align(16, 0);
        ReadOnlyData.Symbols.Add(new CoffSymbol(name, (uint)ReadOnlyData.Data.Count, IsFunction: false));
        foreach (string symbol in symbols)
        {
            ReadOnlyData.Relocations.Add(new CoffRelocation((uint)ReadOnlyData.Data.Count, symbol, CoffRelocationType.Addr64));
            ReadOnlyData.Data.AddRange(new byte[8]);
        }
    }

    /// <summary>Zero-initialized memory that takes no space in the file.</summary>
    public void Reserve(string name, uint size, uint alignment = 16)
    {
        Bss.RequireAlignment(alignment); // an offset aligned within the section is only aligned in memory if the section is
        Bss.UninitializedSize = (Bss.UninitializedSize + alignment - 1) & ~(alignment - 1);
        Bss.Symbols.Add(new CoffSymbol(name, Bss.UninitializedSize, IsFunction: false));
        Bss.UninitializedSize += size;
    }

    public byte[] ToCoff()
    {
        var sections = new List<CoffSection> { Text };
        if (Data.Data.Count > 0)
            sections.Add(Data);
        if (ReadOnlyData.Data.Count > 0)
            sections.Add(ReadOnlyData);
        if (Bss.UninitializedSize > 0)
            sections.Add(Bss);
        if (Pdata.Data.Count > 0)
        {
            sections.Add(Pdata);
            sections.Add(Xdata);
        }
        return CoffWriter.Write(sections);
    }
}

/// <summary>An Iced assembler plus references to symbols defined elsewhere.</summary>
public sealed class FunctionEmitter
{
    private readonly List<(Label Label, int FieldOffset, string Symbol, CoffRelocationType Type)> _references = new();

    public Assembler Asm { get; } = new(64);

    private UnwindBuilder? _unwind;

    /// <summary>
    /// Describes the prolog as it is emitted, so the function gets .pdata/.xdata and a stack can be unwound
    /// through it: call the matching method right after emitting each prolog instruction.
    /// </summary>
    public UnwindBuilder Unwind => _unwind ??= new UnwindBuilder(Asm);

    /// <summary>call rel32 to a symbol (a managed method, another stub).</summary>
    public void CallSymbol(string symbol) => EmitWithField(new byte[] { 0xE8 }, symbol);

    /// <summary>jmp rel32 to a symbol.</summary>
    public void JumpToSymbol(string symbol) => EmitWithField(new byte[] { 0xE9 }, symbol);

    /// <summary>lea reg, [rip + symbol].</summary>
    public void LoadAddress(AssemblerRegister64 register, string symbol)
    {
        int number = register.Value - Register.RAX;
        byte rex = (byte)(0x48 | (number >= 8 ? 0x04 : 0x00));
        byte modrm = (byte)(0x05 | ((number & 7) << 3));
        EmitWithField(new byte[] { rex, 0x8D, modrm }, symbol);
    }

    private void EmitWithField(byte[] opcode, string symbol)
    {
        Label label = Asm.CreateLabel();
        Asm.Label(ref label);
        var bytes = new byte[opcode.Length + 4];
        opcode.CopyTo(bytes, 0);
        Asm.db(bytes);
        _references.Add((label, opcode.Length, symbol, CoffRelocationType.Rel32));
    }

    internal byte[] Assemble(ulong rip, out List<CoffRelocation> relocations, out UnwindDescription? unwind)
    {
        var writer = new CodeWriterImpl();
        _unwind?.Close();
        AssemblerResult result = Asm.Assemble(writer, rip, BlockEncoderOptions.ReturnNewInstructionOffsets);
        unwind = _unwind?.Resolve(label => (int)(result.GetLabelRIP(label) - rip));
        relocations = new List<CoffRelocation>();
        foreach (var reference in _references)
        {
            ulong fieldAddress = result.GetLabelRIP(reference.Label) + (ulong)reference.FieldOffset;
            relocations.Add(new CoffRelocation((uint)(fieldAddress - rip), reference.Symbol, reference.Type));
        }

        return writer.ToArray();
    }

    private sealed class CodeWriterImpl : CodeWriter
    {
        private readonly List<byte> _bytes = new();

        public override void WriteByte(byte value) => _bytes.Add(value);

        public byte[] ToArray() => _bytes.ToArray();
    }
}
