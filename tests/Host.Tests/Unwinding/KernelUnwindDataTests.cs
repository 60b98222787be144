// The unwinder and the EH clause decoder of the runtime library
// (Shared/CoreLib/Internal/Runtime/Unwinding) over the real test kernel: every
// RUNTIME_FUNCTION decodes; every prolog, decoded with Iced, is what its
// unwind codes say; running each prolog on a simulated stack and unwinding
// from the body gives back the caller's registers; the clauses of known
// methods decode to what their C# says; the generated machine code
// (interrupt entry, throw entries, funclet call) has unwind data too.
using AsmGen.Symbols;
using Iced.Intel;
using Internal.Runtime.Unwinding;
using Xunit;
using Xunit.Abstractions;

namespace Host.Tests.Unwinding;

public sealed class KernelUnwindDataTests
{
    private const ulong ReturnAddress = 0xFFFF_8000_DEAD_0000;
    private const ulong EntryStack = 0x0000_7000_0000_0FF8; // after the call pushed the return address
    private static readonly int[] s_nonvolatile = { 3, 5, 6, 7, 12, 13, 14, 15 };

    private readonly ITestOutputHelper _output;

    public KernelUnwindDataTests(ITestOutputHelper output) => _output = output;

    private static BuiltKernel Kernel => BuiltKernel.Instance;

    [Fact]
    public void EveryRuntimeFunction_Decodes_SortedAndDisjoint_WithValidCodesAndIlcBlocks()
    {
        CodeImage image = Kernel.Image;
        (ulong managedStart, ulong managedEnd) = Kernel.Section(".managed");
        Assert.True(image.FunctionCount > 500, $"only {image.FunctionCount} RUNTIME_FUNCTION entries");
        uint previousEnd = 0;
        int withClauses = 0, funclets = 0, markers = 0;
        for (int i = 0; i < image.FunctionCount; i++)
        {
            RuntimeFunction function = image.Function(i);
            Assert.True(function.Begin < function.End, $"entry {i}: empty range");
            Assert.True(function.Begin >= previousEnd, $"entry {i} at 0x{function.Begin:X} overlaps or is out of order");
            previousEnd = function.End;
            Assert.Equal(i, image.FindFunction(Kernel.Base + function.Begin));
            Assert.Equal(i, image.FindFunction(Kernel.Base + function.End - 1));

            UnwindInfo info = image.UnwindInfo(function);
            Assert.InRange(info.Version, 1, 2);
            Assert.True(info.PrologSize <= function.End - function.Begin, $"entry {i}: prolog longer than the function");
            int slots = 0;
            while (slots < info.CodeCount)
            {
                Assert.True(info.OpAt(slots) != UnwindOp.Spare, $"entry {i}: undefined unwind operation");
                Assert.True(info.CodeOffsetAt(slots) <= info.PrologSize, $"entry {i}: unwind code past the prolog");
                slots += info.SlotsAt(slots);
            }

            Assert.Equal(info.CodeCount, slots);
            ulong address = Kernel.Base + function.Begin;
            if (address < managedStart || address >= managedEnd)
                continue;

            // ILCompiler's block: a known kind, no unknown flags.
            Assert.True((info.IlcFlags & ~0x1F) == 0, $"entry {i}: unknown ILC flags 0x{info.IlcFlags:X}");
            Assert.True(info.FuncletKind <= FuncletKind.Filter);
            if (info.FuncletKind != FuncletKind.Root)
            {
                funclets++;
                Assert.False(info.HasEHInfo);
                Assert.Equal(FuncletKind.Root, image.UnwindInfo(image.Function(image.FindRootFunction(i))).FuncletKind);
            }

            if (!info.HasEHInfo)
                continue;
            withClauses++;
            var reader = new EHClauseReader(image.Bytes, info.EHInfo);
            Assert.InRange(reader.Count, 1, 100);
            int rootIndex = i;
            while (reader.TryNext(out EHClause clause))
            {
                // ILCompiler separates runs of try regions with equal native ranges by an empty fault clause.
                if (clause.TryStart == 0 && clause.TryEnd == 0)
                {
                    Assert.True(clause.Kind == EHClauseKind.Fault && clause.Handler == 0, $"{NameAt(function)}: empty clause that is not a separator");
                    markers++;
                    continue;
                }

                Assert.True(clause.TryStart < clause.TryEnd, $"{NameAt(function)}: clause {clause.Kind} try [0x{clause.TryStart:X}, 0x{clause.TryEnd:X}) handler 0x{clause.Handler:X}");
                int handler = image.FindFunction(Kernel.Base + function.Begin + clause.Handler);
                Assert.True(handler > rootIndex && image.FindRootFunction(handler) == rootIndex, $"entry {i}: handler 0x{clause.Handler:X} is not a funclet of this method");
                Assert.Equal(Kernel.Base + function.Begin + clause.Handler, Kernel.Base + image.Function(handler).Begin);
                if (clause.Kind == EHClauseKind.TypedCatch)
                    Assert.True(clause.FilterOrType < (uint)image.Bytes.Length, "catch type outside the image");
            }
        }

        _output.WriteLine($"{image.FunctionCount} functions, {withClauses} with EH clauses, {funclets} funclets, {markers} separators");
        Assert.True(withClauses >= 20 && funclets >= 20);
    }

    [Fact]
    public void EveryProlog_DecodedWithIced_IsWhatItsUnwindCodesSay()
    {
        CodeImage image = Kernel.Image;
        int compared = 0;
        for (int i = 0; i < image.FunctionCount; i++)
        {
            RuntimeFunction function = image.Function(i);
            UnwindInfo info = image.UnwindInfo(function);
            if (HasMachineFrame(info))
                continue;

            var expected = new List<string>();
            foreach (Instruction instruction in Prolog(image, function))
            {
                int after = (int)(instruction.NextIP - (Kernel.Base + function.Begin));
                string? code = CodeFor(instruction, info);
                if (code is not null)
                    expected.Add(after + ":" + code);
            }

            expected.Reverse();
            var actual = new List<string>();
            for (int slot = 0; slot < info.CodeCount; slot += info.SlotsAt(slot))
                actual.Add(info.CodeOffsetAt(slot) + ":" + Describe(info, slot));
            Assert.True(expected.SequenceEqual(actual), $"{NameAt(function)}: prolog says [{string.Join(", ", expected)}], unwind codes say [{string.Join(", ", actual)}]");
            compared++;
        }

        _output.WriteLine($"{compared} prologs compared");
        Assert.True(compared > 500);
    }

    [Fact]
    public void Unwinding_FromTheBodyOfEveryFunction_GivesBackTheCallersRegisters()
    {
        CodeImage image = Kernel.Image;
        int unwound = 0;
        for (int i = 0; i < image.FunctionCount; i++)
        {
            RuntimeFunction function = image.Function(i);
            if (HasMachineFrame(image.UnwindInfo(function)))
                continue;

            var machine = new SimulatedMachine();
            machine.Run(Prolog(image, function));
            UnwindContext context = machine.Context(Kernel.Base + function.Begin + (ulong)image.UnwindInfo(function).PrologSize);
            var stack = machine.Stack;
            Assert.Equal(UnwindResult.Ok, X64Unwinder.Unwind(ref context, image, ref stack));
            string name = NameAt(function);
            Assert.True(ReturnAddress == context.Ip, $"{name}: return address 0x{context.Ip:X}");
            Assert.True(EntryStack + 8 == context.StackPointer, $"{name}: caller's RSP 0x{context.StackPointer:X}");
            foreach (int register in s_nonvolatile)
                Assert.True(SimulatedMachine.Initial(register) == context.Register(register), $"{name}: register {register} not restored");
            for (int xmm = 6; xmm < 16; xmm++)
                Assert.True(SimulatedMachine.InitialXmm(xmm) == context.XmmLow(xmm), $"{name}: xmm{xmm} not restored");
            unwound++;
        }

        _output.WriteLine($"{unwound} functions unwound");
        Assert.True(unwound > 500);
    }

    [Fact]
    public void InterruptEntry_UnwindsThroughTheCpusFrame_IntoTheInterruptedCode()
    {
        CodeImage image = Kernel.Image;
        ulong common = Kernel.Symbol("interrupt_common");
        int index = image.FindFunction(common);
        Assert.True(index >= 0, "interrupt_common has no RUNTIME_FUNCTION");
        RuntimeFunction function = image.Function(index);

        // What the CPU and the stub pushed: SS, RSP, RFLAGS, CS, RIP, error code, vector.
        var machine = new SimulatedMachine();
        const ulong interruptedRip = 0xFFFF_8000_0012_3456, interruptedRsp = 0x0000_7000_0000_1230;
        machine.Push(0x10);
        machine.Push(interruptedRsp);
        machine.Push(0x202);
        machine.Push(0x08);
        machine.Push(interruptedRip);
        machine.Push(0);
        machine.Push(14);
        machine.Run(Prolog(image, function));
        UnwindContext context = machine.Context(Kernel.Base + function.Begin + (ulong)image.UnwindInfo(function).PrologSize);
        var stack = machine.Stack;
        Assert.Equal(UnwindResult.Ok, X64Unwinder.Unwind(ref context, image, ref stack));
        Assert.Equal(interruptedRip, context.Ip);
        Assert.Equal(interruptedRsp, context.StackPointer);
        Assert.Equal(0x202UL, context.Flags);
        for (int register = 0; register < 16; register++)
        {
            if (register != 4)
                Assert.Equal(SimulatedMachine.Initial(register), context.Register(register));
        }
    }

    [Fact]
    public void GeneratedThrowAndFuncletCode_HasUnwindData()
    {
        CodeImage image = Kernel.Image;
        foreach (string name in new[] { "RhpThrowEx", "RhpRethrow", "rt_call_funclet", "interrupt_common" })
        {
            int index = image.FindFunction(Kernel.Symbol(name));
            Assert.True(index >= 0, name + " has no RUNTIME_FUNCTION");
            Assert.Equal(Kernel.Symbol(name), Kernel.Base + image.Function(index).Begin);
        }
    }

    [Fact]
    public void Clauses_OfATypedCatch_DecodeToTheCaughtTypesMethodTable()
    {
        List<EHClause> clauses = ClausesOf("Kernel_Kernel_Tests_ExceptionDispatchTests__ClauseShape_TypedCatch", out _);
        EHClause clause = Assert.Single(clauses);
        Assert.Equal(EHClauseKind.TypedCatch, clause.Kind);
        Assert.Equal(Kernel.Symbol("??_7S_P_CoreLib_System_InvalidOperationException@@6B@") - Kernel.Base, clause.FilterOrType);
    }

    [Fact]
    public void Clauses_OfAFilterInsideAFinally_DecodeInnermostFirst_WithTheirFunclets()
    {
        List<EHClause> clauses = ClausesOf("Kernel_Kernel_Tests_ExceptionDispatchTests__ClauseShape_FilterAndFinally", out RuntimeFunction method);
        Assert.Equal(2, clauses.Count);
        Assert.Equal(EHClauseKind.Filter, clauses[0].Kind);
        Assert.Equal(EHClauseKind.Fault, clauses[1].Kind);
        Assert.True(clauses[1].TryStart <= clauses[0].TryStart && clauses[0].TryEnd <= clauses[1].TryEnd, "the finally's try must enclose the filter's");

        Assert.Equal(FuncletKind.Filter, KindAt(method, clauses[0].FilterOrType));
        Assert.Equal(FuncletKind.Handler, KindAt(method, clauses[0].Handler));
        Assert.Equal(FuncletKind.Handler, KindAt(method, clauses[1].Handler));
    }

    private static FuncletKind KindAt(RuntimeFunction method, uint offset)
    {
        CodeImage image = Kernel.Image;
        return image.UnwindInfo(image.Function(image.FindFunction(Kernel.Base + method.Begin + offset))).FuncletKind;
    }

    [Fact]
    public void CompressedUnsigned_DecodesEveryLength()
    {
        byte[] data = { 0x02, 0xC5, 0x0D, 0xFB, 0xFF, 0xFF, 0x0F, 0x78, 0x56, 0x34, 0x12 };
        int position = 0;
        Assert.Equal(1u, EHClauseReader.DecodeUnsigned(data, ref position));
        Assert.Equal(0x371u, EHClauseReader.DecodeUnsigned(data, ref position));
        Assert.Equal(0x1FFFFFu, EHClauseReader.DecodeUnsigned(data, ref position));
        Assert.Equal(0x12345678u, EHClauseReader.DecodeUnsigned(data, ref position));
        Assert.Equal(data.Length, position);
    }

    private static List<EHClause> ClausesOf(string symbol, out RuntimeFunction method)
    {
        CodeImage image = Kernel.Image;
        method = image.Function(image.FindFunction(Kernel.Symbol(symbol)));
        UnwindInfo info = image.UnwindInfo(method);
        Assert.True(info.HasEHInfo, symbol + " has no EH info");
        var reader = new EHClauseReader(image.Bytes, info.EHInfo);
        var clauses = new List<EHClause>();
        while (reader.TryNext(out EHClause clause))
            clauses.Add(clause);
        return clauses;
    }

    private static bool HasMachineFrame(UnwindInfo info)
    {
        for (int slot = 0; slot < info.CodeCount; slot += info.SlotsAt(slot))
        {
            if (info.OpAt(slot) == UnwindOp.PushMachineFrame)
                return true;
        }

        return false;
    }

    private static List<Instruction> Prolog(CodeImage image, RuntimeFunction function)
    {
        UnwindInfo info = image.UnwindInfo(function);
        byte[] code = image.Bytes.Slice((int)function.Begin, info.PrologSize).ToArray();
        var decoder = Iced.Intel.Decoder.Create(64, new ByteArrayCodeReader(code), Kernel.Base + function.Begin);
        var instructions = new List<Instruction>();
        while (decoder.IP < Kernel.Base + function.Begin + (ulong)code.Length)
        {
            decoder.Decode(out Instruction instruction);
            Assert.False(instruction.IsInvalid);
            instructions.Add(instruction);
        }

        return instructions;
    }

    // The unwind code an instruction of a prolog must have, or null for one that needs none.
    private static string? CodeFor(Instruction instruction, UnwindInfo info)
    {
        // "push rax" is the compiler's short way to allocate 8 bytes: rax is not saved, the codes say "alloc 8".
        if (instruction.Mnemonic == Mnemonic.Push && instruction.Op0Kind == OpKind.Register)
            return instruction.Op0Register == Register.RAX ? "alloc 8" : "push r" + Number(instruction.Op0Register);
        if (instruction.Mnemonic == Mnemonic.Sub && instruction.Op0Register == Register.RSP)
            return "alloc " + instruction.GetImmediate(1);
        if ((instruction.Mnemonic == Mnemonic.Lea && instruction.MemoryBase == Register.RSP) || (instruction.Mnemonic == Mnemonic.Mov && instruction.Op1Kind == OpKind.Register && instruction.Op1Register == Register.RSP))
            return "frame r" + Number(instruction.Op0Register) + "+" + (instruction.Mnemonic == Mnemonic.Lea ? instruction.MemoryDisplacement64 : 0);
        if (instruction.Op0Kind == OpKind.Memory && instruction.Op1Kind == OpKind.Register && instruction.Op1Register.IsXMM())
            return "savexmm " + (instruction.Op1Register - Register.XMM0) + "@" + XmmSaveOffset(instruction, info);
        if (instruction.Mnemonic == Mnemonic.Mov && instruction.Op0Kind == OpKind.Memory && instruction.Op1Kind == OpKind.Register && instruction.Op1Register.IsGPR64())
            return "save r" + Number(instruction.Op1Register) + "@" + instruction.MemoryDisplacement64;
        return null;
    }

    private static ulong XmmSaveOffset(Instruction instruction, UnwindInfo info)
        => instruction.MemoryBase == Register.RSP ? instruction.MemoryDisplacement64 : unchecked(instruction.MemoryDisplacement64 + (ulong)info.FrameOffset);

    private static string Describe(UnwindInfo info, int slot) => info.OpAt(slot) switch
    {
        UnwindOp.PushNonvolatile => "push r" + info.OpInfoAt(slot),
        UnwindOp.AllocSmall => "alloc " + ((info.OpInfoAt(slot) * 8) + 8),
        UnwindOp.AllocLarge => "alloc " + (info.OpInfoAt(slot) == 0 ? info.Slot(slot + 1) * 8 : info.Slot(slot + 1) | (info.Slot(slot + 2) << 16)),
        UnwindOp.SetFramePointer => "frame r" + info.FrameRegister + "+" + info.FrameOffset,
        UnwindOp.SaveXmm128 => "savexmm " + info.OpInfoAt(slot) + "@" + (info.Slot(slot + 1) * 16),
        UnwindOp.SaveNonvolatile => "save r" + info.OpInfoAt(slot) + "@" + (info.Slot(slot + 1) * 8),
        UnwindOp op => op.ToString(),
    };

    private static int Number(Register register) => register.GetFullRegister() - Register.RAX;

    private static string NameAt(RuntimeFunction function)
    {
        ulong address = Kernel.Base + function.Begin;
        MapSymbol? symbol = Kernel.Map.Symbols.Where(s => s.Address <= address).MaxBy(s => s.Address);
        return $"{symbol?.Name ?? "?"}+0x{address - (symbol?.Address ?? 0):X}";
    }

    /// <summary>Just enough of an x64 to run prologs: pushes, stack allocation, frame setup and register saves.</summary>
    private sealed class SimulatedMachine
    {
        private readonly ulong[] _registers = new ulong[16];
        private readonly ulong[] _xmm = new ulong[32];
        private readonly Dictionary<ulong, ulong> _memory = new();

        public SimulatedMachine()
        {
            for (int i = 0; i < 16; i++)
                _registers[i] = Initial(i);
            for (int i = 0; i < 16; i++)
            {
                _xmm[2 * i] = InitialXmm(i);
                _xmm[(2 * i) + 1] = ~InitialXmm(i);
            }

            _registers[4] = EntryStack + 8;
            Push(ReturnAddress);
        }

        public static ulong Initial(int register) => 0x1111_0000_0000_0000UL + ((ulong)register * 0x0101);

        public static ulong InitialXmm(int register) => 0x2222_0000_0000_0000UL + ((ulong)register * 0x0303);

        public MemoryStack Stack => new(_memory);

        public void Push(ulong value)
        {
            _registers[4] -= 8;
            _memory[_registers[4]] = value;
        }

        public void Run(IEnumerable<Instruction> instructions)
        {
            foreach (Instruction i in instructions)
            {
                if (i.Mnemonic == Mnemonic.Push && i.Op0Kind == OpKind.Register)
                    Push(_registers[Number(i.Op0Register)]);
                else if (i.Mnemonic == Mnemonic.Push)
                    Push(i.GetImmediate(0));
                else if (i.Mnemonic == Mnemonic.Sub && i.Op0Register == Register.RSP)
                    _registers[4] -= i.GetImmediate(1);
                else if (i.Mnemonic == Mnemonic.Lea)
                    _registers[Number(i.Op0Register)] = Address(i);
                else if (i.Mnemonic == Mnemonic.Mov && i.Op0Kind == OpKind.Register && i.Op1Kind == OpKind.Register && i.Op0Register.IsGPR64())
                    _registers[Number(i.Op0Register)] = _registers[Number(i.Op1Register)];
                else if (i.Op0Kind == OpKind.Memory && i.Op1Kind == OpKind.Register && i.Op1Register.IsXMM())
                {
                    int xmm = i.Op1Register - Register.XMM0;
                    _memory[Address(i)] = _xmm[2 * xmm];
                    _memory[Address(i) + 8] = _xmm[(2 * xmm) + 1];
                }
                else if (i.Mnemonic == Mnemonic.Mov && i.Op0Kind == OpKind.Memory && i.Op1Kind == OpKind.Register && i.Op1Register.IsGPR64())
                    _memory[Address(i)] = _registers[Number(i.Op1Register)];
                else if (i.Op0Kind == OpKind.Register && i.Op0Register.GetFullRegister() == Register.RSP)
                    throw new InvalidOperationException("prolog instruction the simulation does not know changes RSP: " + i);
            }
        }

        public UnwindContext Context(ulong ip)
        {
            var context = default(UnwindContext);
            for (int i = 0; i < 16; i++)
            {
                context.Register(i) = _registers[i];
                context.XmmLow(i) = _xmm[2 * i];
                context.XmmHigh(i) = _xmm[(2 * i) + 1];
            }

            context.Ip = ip;
            return context;
        }

        private ulong Address(Instruction i) => (i.MemoryBase == Register.None ? 0 : _registers[Number(i.MemoryBase)]) + i.MemoryDisplacement64;
    }

    private struct MemoryStack : IStackMemory
    {
        private readonly Dictionary<ulong, ulong> _memory;

        public MemoryStack(Dictionary<ulong, ulong> memory) => _memory = memory;

        public bool TryRead(ulong address, out ulong value) => _memory.TryGetValue(address, out value);
    }
}
