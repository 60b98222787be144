// The interrupt entry code, decoded back with Iced: every vector's stub
// pushes what the CPU did not, the common routine builds exactly the frame
// Kernel/Arch/InterruptFrame.cs describes (offsets derived from the decoded
// pushes, compared with the C# struct), keeps the stack aligned for the C#
// dispatcher, saves and restores the SSE state, and returns with iretq.
using System.Runtime.InteropServices;
using AsmGen;
using AsmGen.Modules;
using Iced.Intel;
using Kernel.Arch;
using Xunit;

namespace Host.Tests.AsmGen;

public sealed class InterruptStubTests
{
    private static readonly NativeObject s_kernel = NativeImage.Build(ImageKind.Kernel);
    private static readonly int[] s_vectorsWithErrorCode = { 8, 10, 11, 12, 13, 14, 17, 21, 29, 30 };

    private static List<Instruction> Decode(string function)
    {
        NativeFunction f = s_kernel.Functions.Single(x => x.Name == function);
        byte[] code = s_kernel.Text.Data.Skip(f.Offset).Take(f.Size).ToArray();
        var decoder = Decoder.Create(64, new ByteArrayCodeReader(code), (ulong)f.Offset);
        var instructions = new List<Instruction>();
        while (decoder.IP < (ulong)(f.Offset + f.Size))
        {
            decoder.Decode(out Instruction instruction);
            Assert.False(instruction.IsInvalid, $"{function}: undecodable byte at 0x{instruction.IP:X}");
            instructions.Add(instruction);
        }

        return instructions;
    }

    private static CoffRelocation RelocationIn(string function, int index = 0)
    {
        NativeFunction f = s_kernel.Functions.Single(x => x.Name == function);
        return s_kernel.Text.Relocations.Where(r => r.Offset >= f.Offset && r.Offset < f.Offset + f.Size).ElementAt(index);
    }

    [Fact]
    public void EveryVector_HasAStub_ThatPushesAZeroErrorCodeOnlyWhereTheCpuPushesNone()
    {
        for (int vector = 0; vector < 256; vector++)
        {
            List<Instruction> code = Decode(InterruptStubs.StubName(vector));
            bool cpuPushes = s_vectorsWithErrorCode.Contains(vector);
            var pushes = code.Where(i => i.Mnemonic == Mnemonic.Push).ToList();
            Assert.Equal(cpuPushes ? 1 : 2, pushes.Count);
            if (!cpuPushes)
                Assert.Equal(0UL, pushes[0].GetImmediate(0));
            Assert.Equal((ulong)vector, pushes[^1].GetImmediate(0));
            Assert.Equal(Mnemonic.Jmp, code[^1].Mnemonic);
            Assert.Equal(InterruptStubs.CommonEntry, RelocationIn(InterruptStubs.StubName(vector)).Symbol);
        }
    }

    [Fact]
    public void StubTable_ListsTheStubsInVectorOrder()
    {
        int table = (int)s_kernel.ReadOnlyData.Symbols.Single(s => s.Name == InterruptStubs.StubTable).Value;
        var entries = s_kernel.ReadOnlyData.Relocations.Where(r => r.Offset >= table && r.Offset < table + (256 * 8)).OrderBy(r => r.Offset).ToList();
        Assert.Equal(256, entries.Count);
        for (int vector = 0; vector < 256; vector++)
        {
            Assert.Equal(InterruptStubs.StubName(vector), entries[vector].Symbol);
            Assert.Equal(CoffRelocationType.Addr64, entries[vector].Type);
            Assert.Equal((uint)(table + (8 * vector)), entries[vector].Offset);
        }
    }

    // Replays the pushes: the CPU's five (plus its error code), the stub's error code and vector,
    // then interrupt_common's. The address the dispatcher receives is rsp after the last push.
    [Fact]
    public void CommonEntry_BuildsTheFrameThatInterruptFrameDescribes()
    {
        List<Instruction> code = Decode(InterruptStubs.CommonEntry);
        var slots = new List<string> { "Ss", "Rsp", "Rflags", "Cs", "Rip", "ErrorCode", "Vector" };
        foreach (Instruction push in code.TakeWhile(i => i.Mnemonic == Mnemonic.Push))
            slots.Add(Pascal(push.Op0Register));
        Assert.Equal(22, slots.Count);

        Instruction frameCopy = code[slots.Count - 7];
        Assert.Equal(Mnemonic.Mov, frameCopy.Mnemonic); // mov rbx, rsp: the frame pointer, kept across the call
        Assert.Equal(Register.RBX, frameCopy.Op0Register);
        Assert.Equal(Register.RSP, frameCopy.Op1Register);

        for (int i = 0; i < slots.Count; i++)
        {
            int offsetFromFrame = (slots.Count - 1 - i) * 8;
            Assert.Equal(offsetFromFrame, (int)Marshal.OffsetOf<InterruptFrame>(slots[i]));
        }

        Assert.Equal(InterruptFrame.Size, Marshal.SizeOf<InterruptFrame>());
        Assert.Equal(InterruptStubs.FrameSize, InterruptFrame.Size);
        Assert.Equal(22, typeof(InterruptFrame).GetFields().Count(f => !f.IsStatic && !f.IsLiteral));
    }

    [Fact]
    public void CommonEntry_RestoresRegistersInReverse_DropsVectorAndErrorCode_AndReturnsWithIretq()
    {
        List<Instruction> code = Decode(InterruptStubs.CommonEntry);
        var pushed = code.TakeWhile(i => i.Mnemonic == Mnemonic.Push).Select(i => i.Op0Register).ToList();
        var popped = code.Where(i => i.Mnemonic == Mnemonic.Pop).Select(i => i.Op0Register).ToList();
        Assert.Equal(15, pushed.Count);
        Assert.Equal(Enumerable.Reverse(pushed), popped);
        Assert.DoesNotContain(Register.RSP, pushed);

        Assert.Equal(Code.Iretq, code[^1].Code);
        Instruction drop = code[^2];
        Assert.Equal(Mnemonic.Add, drop.Mnemonic);
        Assert.Equal(Register.RSP, drop.Op0Register);
        Assert.Equal(16u, drop.Immediate32);

        int restore = code.FindIndex(i => i.Mnemonic == Mnemonic.Mov && i.Op0Register == Register.RSP && i.Op1Register == Register.RBX);
        Assert.True(restore > 0 && restore < code.FindIndex(i => i.Mnemonic == Mnemonic.Pop), "rsp comes back from rbx before the pops");
    }

    [Fact]
    public void CommonEntry_CallsTheDispatcherWithTheFrame_OnAnAlignedStackWithShadowSpace()
    {
        List<Instruction> code = Decode(InterruptStubs.CommonEntry);
        int call = code.FindIndex(i => i.Mnemonic == Mnemonic.Call);
        CoffRelocation target = s_kernel.Text.Relocations.Single(r => r.Symbol == InterruptStubs.Dispatcher);
        Assert.Equal(code[call].IP + 1, (ulong)target.Offset); // call rel32: the field follows E8
        Assert.Equal(Register.RCX, code[call - 1].Op0Register);
        Assert.Equal(Register.RBX, code[call - 1].Op1Register);

        Instruction align = code.Single(i => i.Mnemonic == Mnemonic.And && i.Op0Register == Register.RSP);
        Assert.Equal(-16L, (long)align.GetImmediate(1));
        Instruction reserve = code.Single(i => i.Mnemonic == Mnemonic.Sub && i.Op0Register == Register.RSP);
        Assert.Equal(0u, reserve.Immediate32 % 16);
        Assert.True(code.IndexOf(align) < code.IndexOf(reserve) && code.IndexOf(reserve) < call);

        // Direction flag cleared before C# runs (the calling convention requires DF = 0).
        Assert.Contains(code.Take(call), i => i.Mnemonic == Mnemonic.Cld);

        // Save slots lie above the 32 bytes of shadow space and are 16-byte aligned for movdqa.
        foreach (Instruction save in code.Where(i => i.Mnemonic == Mnemonic.Movdqa))
        {
            Assert.Equal(Register.RSP, save.MemoryBase);
            uint displacement = (uint)save.MemoryDisplacement64;
            Assert.True(displacement >= 32 && displacement % 16 == 0, $"xmm slot at rsp+{displacement}");
        }
    }

    [Fact]
    public void CommonEntry_SavesAndRestoresTheVolatileSseRegistersAndMxcsr()
    {
        List<Instruction> code = Decode(InterruptStubs.CommonEntry);
        int call = code.FindIndex(i => i.Mnemonic == Mnemonic.Call);
        for (int xmm = 0; xmm < 6; xmm++)
        {
            Register register = Register.XMM0 + xmm;
            Instruction save = code.Take(call).Single(i => i.Mnemonic == Mnemonic.Movdqa && i.Op1Register == register);
            Instruction restore = code.Skip(call).Single(i => i.Mnemonic == Mnemonic.Movdqa && i.Op0Register == register);
            Assert.Equal(save.MemoryDisplacement64, restore.MemoryDisplacement64);
        }

        Assert.Contains(code.Take(call), i => i.Mnemonic == Mnemonic.Stmxcsr);
        Assert.Contains(code.Skip(call), i => i.Mnemonic == Mnemonic.Ldmxcsr);
        Assert.DoesNotContain(code, i => i.Mnemonic == Mnemonic.Movdqa && (i.Op0Register >= Register.XMM6 && i.Op0Register <= Register.XMM15 || i.Op1Register >= Register.XMM6 && i.Op1Register <= Register.XMM15));
    }

    [Fact]
    public void SoftwareInterruptTable_EntryN_RaisesVectorN_AndReturns()
    {
        List<Instruction> code = Decode(Traps.SoftwareInterruptTable);
        NativeFunction table = s_kernel.Functions.Single(f => f.Name == Traps.SoftwareInterruptTable);
        for (int vector = 0; vector < 256; vector++)
        {
            ulong entry = (ulong)(table.Offset + (vector * Traps.SoftwareInterruptEntrySize));
            Instruction first = code.Single(i => i.IP == entry);
            Assert.Equal(Code.Int_imm8, first.Code);
            Assert.Equal((ulong)vector, first.GetImmediate(0));
            Assert.Equal(Mnemonic.Ret, code[code.IndexOf(first) + 1].Mnemonic);
        }
    }

    [Fact]
    public void DivideHelper_DividesRcxByRdx_WithTheDivInstruction()
    {
        List<Instruction> code = Decode("cpu_divide_u64");
        Instruction div = code.Single(i => i.Mnemonic == Mnemonic.Div);
        Assert.Equal(Register.R8, div.Op0Register);
        Assert.Contains(code, i => i.Mnemonic == Mnemonic.Xor && i.Op0Register == Register.EDX); // rdx:rax = 0:dividend
        Assert.Equal(Code.Ud2, Decode("cpu_ud2").Single().Code);
    }

    [Fact]
    public void InterruptStacks_ArePageAlignedInAPageAlignedBss()
    {
        Assert.Equal(0xD00000u, s_kernel.Bss.Characteristics & CoffWriter.AlignMask); // IMAGE_SCN_ALIGN_4096BYTES
        foreach (string name in new[] { "kernel_ist_double_fault_stack", "kernel_ist_nmi_stack", "kernel_ist_machine_check_stack" })
            Assert.Equal(0u, s_kernel.Bss.Symbols.Single(s => s.Name == name).Value % 4096);
        Assert.DoesNotContain(s_kernel.Bss.Symbols, s => s.Name == "kernel_page_table_frame_pool"); // page tables come from the frame allocator
    }

    private static string Pascal(Register register)
    {
        string name = register.ToString().ToLowerInvariant();
        return char.ToUpperInvariant(name[0]) + name[1..];
    }
}
