// The machine code AsmGen emits, decoded back with Iced: each function holds
// the instructions its contract promises, and the COFF object is well formed.
using System.Buffers.Binary;
using System.Text;
using AsmGen;
using Iced.Intel;
using Xunit;

namespace Host.Tests.AsmGen;

public sealed class NativeObjectTests
{
    private static readonly NativeObject s_kernel = NativeImage.Build(ImageKind.Kernel);

    private static List<Instruction> Decode(string function)
    {
        NativeFunction f = s_kernel.Functions.Single(x => x.Name == function);
        byte[] code = s_kernel.Text.Data.Skip(f.Offset).Take(f.Size).ToArray();
        var decoder = Iced.Intel.Decoder.Create(64, new ByteArrayCodeReader(code), (ulong)f.Offset);
        var instructions = new List<Instruction>();
        while (decoder.IP < (ulong)(f.Offset + f.Size))
        {
            decoder.Decode(out Instruction instruction);
            Assert.False(instruction.IsInvalid, $"{function}: undecodable byte at 0x{instruction.IP:X}");
            instructions.Add(instruction);
        }

        return instructions;
    }

    private static string Text(string function)
    {
        var formatter = new NasmFormatter();
        var output = new StringOutput();
        var lines = new List<string>();
        foreach (Instruction instruction in Decode(function))
        {
            formatter.Format(instruction, output);
            lines.Add(output.ToStringAndReset());
        }

        return string.Join("; ", lines);
    }

    [Theory]
    [InlineData("cpu_outb", "mov eax,edx; mov edx,ecx; out dx,al; ret")]
    [InlineData("cpu_inb", "mov edx,ecx; xor eax,eax; in al,dx; ret")]
    [InlineData("cpu_read_cr3", "mov rax,cr3; ret")]
    [InlineData("cpu_write_cr3", "mov cr3,rcx; ret")]
    [InlineData("cpu_rdmsr", "rdmsr; shl rdx,20h; or rax,rdx; ret")]
    [InlineData("cpu_wrmsr", "mov eax,edx; shr rdx,20h; wrmsr; ret")]
    [InlineData("cpu_lidt", "lidt [rcx]; ret")]
    [InlineData("cpu_ltr", "ltr cx; ret")]
    [InlineData("cpu_sti_hlt", "sti; hlt; ret")]
    [InlineData("cpu_invlpg", "invlpg [rcx]; ret")]
    [InlineData("RhpAssignRef", "mov [rcx],rdx; ret")]
    [InlineData("RhpByRefAssignRef", "mov rcx,[rsi]; mov [rdi],rcx; add rdi,8; add rsi,8; ret")]
    public void Function_IsExactlyTheDocumentedSequence(string function, string expected)
        => Assert.Equal(expected, Text(function));

    [Fact]
    public void ReloadSegments_FarReturnsIntoTheNewCodeSegment()
    {
        List<Instruction> code = Decode("cpu_reload_segments");
        Instruction far = code.Single(i => i.Mnemonic == Mnemonic.Retf);
        Assert.Equal(Code.Retfq, far.Code); // REX.W: pops a 64-bit RIP, then CS
        Assert.Contains(code, i => i.Mnemonic == Mnemonic.Mov && i.Op0Register == Register.SS);
    }

    [Fact]
    public void InterfaceDispatchStub_PreservesArgumentRegisters_AndTailJumps()
    {
        List<Instruction> code = Decode("RhpInitialDynamicInterfaceDispatch");
        foreach (Register register in new[] { Register.RCX, Register.RDX, Register.R8, Register.R9 })
        {
            Assert.Contains(code, i => i.Mnemonic == Mnemonic.Push && i.Op0Register == register);
            Assert.Contains(code, i => i.Mnemonic == Mnemonic.Pop && i.Op0Register == register);
        }

        for (int xmm = 0; xmm < 4; xmm++)
        {
            Register register = Register.XMM0 + xmm;
            Assert.Contains(code, i => i.Mnemonic == Mnemonic.Movdqa && i.Op1Register == register);
            Assert.Contains(code, i => i.Mnemonic == Mnemonic.Movdqa && i.Op0Register == register);
        }

        Assert.Equal(Mnemonic.Jmp, code[^1].Mnemonic);
        Assert.Equal(Register.RAX, code[^1].Op0Register);
        // Pushes plus the frame keep rsp 16-byte aligned at the call: 8 (return) + 32 + 0x68 = 0x90.
        Assert.Contains(code, i => i.Mnemonic == Mnemonic.Sub && i.Op0Register == Register.RSP && i.Immediate32 == 0x68);
    }

    [Fact]
    public void ExternalReferences_BecomeRelocationsAgainstTheRightSymbols()
    {
        NativeFunction header = s_kernel.Functions.Single(f => f.Name == "rt_ready_to_run_header");
        CoffRelocation relocation = s_kernel.Text.Relocations.Single(r => r.Offset >= header.Offset && r.Offset < header.Offset + header.Size);
        Assert.Equal("__ReadyToRunHeader", relocation.Symbol);
        Assert.Equal(CoffRelocationType.Rel32, relocation.Type);
        Assert.Equal((uint)(header.Offset + 3), relocation.Offset); // lea rax, [rip+disp32]: the field follows 48 8D 05
    }

    [Fact]
    public void FunctionsWithUnwindData_HaveAPdataEntry_PointingAtTheirOwnUnwindInfo()
    {
        var described = s_kernel.Functions.Where(f => f.Unwind is not null).ToList();
        Assert.Contains(described, f => f.Name == "interrupt_common");
        Assert.Contains(described, f => f.Name == "RhpThrowEx");
        Assert.Contains(described, f => f.Name == "rt_call_funclet");
        Assert.Equal(described.Count * 12, s_kernel.Pdata.Data.Count);
        for (int i = 0; i < described.Count; i++)
        {
            var relocations = s_kernel.Pdata.Relocations.Where(r => r.Offset >= i * 12 && r.Offset < (i + 1) * 12).ToList();
            Assert.Equal(new[] { described[i].Name, described[i].Name, "$unwind$" + described[i].Name }, relocations.Select(r => r.Symbol));
            Assert.All(relocations, r => Assert.Equal(CoffRelocationType.Addr32NB, r.Type));
            Assert.Equal((uint)described[i].Size, BinaryPrimitives.ReadUInt32LittleEndian(s_kernel.Pdata.Data.Skip((i * 12) + 4).Take(4).ToArray()));

            // The UNWIND_INFO decodes with the runtime's own reader to the steps that were recorded.
            CoffSymbol info = s_kernel.Xdata.Symbols.Single(x => x.Name == "$unwind$" + described[i].Name);
            var unwind = new Internal.Runtime.Unwinding.UnwindInfo(s_kernel.Xdata.Data.ToArray(), info.Value);
            Assert.Equal(1, unwind.Version);
            Assert.Equal(described[i].Unwind!.PrologSize, unwind.PrologSize);
            int steps = 0;
            for (int slot = 0; slot < unwind.CodeCount; slot += unwind.SlotsAt(slot))
                steps++;
            Assert.Equal(described[i].Unwind!.Steps.Count, steps);
        }
    }

    [Fact]
    public void CoffObject_HasAValidHeader_AndEveryFunctionAsAGlobalSymbol()
    {
        byte[] obj = s_kernel.ToCoff();
        Assert.Equal(0x8664, BinaryPrimitives.ReadUInt16LittleEndian(obj));
        int sections = BinaryPrimitives.ReadUInt16LittleEndian(obj.AsSpan(2));
        Assert.Equal(6, sections); // .text, .data, .rdata (interrupt stub table), .bss, .pdata and .xdata (unwind data)
        int symbolTable = BinaryPrimitives.ReadInt32LittleEndian(obj.AsSpan(8));
        int symbolCount = BinaryPrimitives.ReadInt32LittleEndian(obj.AsSpan(12));
        int strings = symbolTable + (symbolCount * 18);
        var names = new HashSet<string>();
        for (int i = 0; i < symbolCount; i++)
        {
            ReadOnlySpan<byte> record = obj.AsSpan(symbolTable + (i * 18), 18);
            string name = BinaryPrimitives.ReadUInt32LittleEndian(record) == 0
                ? ReadString(obj, strings + BinaryPrimitives.ReadInt32LittleEndian(record[4..]))
                : Encoding.ASCII.GetString(record[..8]).TrimEnd('\0');
            Assert.Equal(2, record[16]); // IMAGE_SYM_CLASS_EXTERNAL
            names.Add(name);
        }

        foreach (NativeFunction function in s_kernel.Functions)
            Assert.Contains(function.Name, names);
        Assert.Contains("__ReadyToRunHeader", names);
        Assert.Contains("__security_cookie", names);
    }

    [Fact]
    public void Build_IsReproducible()
        => Assert.Equal(NativeImage.Build(ImageKind.Kernel).ToCoff(), NativeImage.Build(ImageKind.Kernel).ToCoff());

    private static string ReadString(byte[] data, int offset)
    {
        int end = Array.IndexOf(data, (byte)0, offset);
        return Encoding.ASCII.GetString(data, offset, end - offset);
    }
}
