// Unwind data for generated machine code: the Windows x64 UNWIND_INFO that
// says how to undo a function's prolog, so that the kernel's unwinder (and
// any debugger) can walk a stack through interrupt stubs and runtime helpers
// just as through compiled C#. A function records each prolog instruction
// right after emitting it; the labels become code offsets once Iced has
// assembled the function.
using Iced.Intel;

namespace AsmGen;

public enum UnwindOperation : byte
{
    PushNonvolatile = 0,
    AllocLarge = 1,
    AllocSmall = 2,
    SetFramePointer = 3,
    SaveXmm128 = 8,
    PushMachineFrame = 10,
}

/// <summary>One prolog step: the operation, its 4-bit info, the offset after the instruction, and operand slots.</summary>
public sealed record UnwindStep(UnwindOperation Operation, int Info, int CodeOffset, ushort[] Operands);

/// <summary>A function's resolved unwind description.</summary>
public sealed class UnwindDescription
{
    public UnwindDescription(int prologSize, int frameRegister, int frameOffset, IReadOnlyList<UnwindStep> steps)
    {
        PrologSize = prologSize;
        FrameRegister = frameRegister;
        FrameOffset = frameOffset;
        Steps = steps;
    }

    public int PrologSize { get; }
    public int FrameRegister { get; }
    public int FrameOffset { get; }

    /// <summary>Steps in prolog order (the encoding lists them in reverse).</summary>
    public IReadOnlyList<UnwindStep> Steps { get; }

    /// <summary>UNWIND_INFO version 1: header, codes latest first, padded to an even slot count.</summary>
    public byte[] Encode()
    {
        var slots = new List<ushort>();
        for (int i = Steps.Count - 1; i >= 0; i--)
        {
            UnwindStep step = Steps[i];
            slots.Add((ushort)(step.CodeOffset | ((int)step.Operation << 8) | (step.Info << 12)));
            slots.AddRange(step.Operands);
        }

        if (PrologSize > 255 || slots.Count > 255)
            throw new InvalidOperationException("prolog too long for UNWIND_INFO");
        var bytes = new List<byte> { 1, (byte)PrologSize, (byte)slots.Count, (byte)(FrameRegister | ((FrameOffset / 16) << 4)) };
        if (slots.Count % 2 == 1)
            slots.Add(0);
        foreach (ushort slot in slots)
            bytes.AddRange(BitConverter.GetBytes(slot));
        return bytes.ToArray();
    }
}

/// <summary>Records prolog steps against labels while a function is assembled.</summary>
public sealed class UnwindBuilder
{
    private readonly Assembler _asm;
    private readonly List<(UnwindOperation Operation, int Info, Label After, ushort[] Operands)> _steps = new();
    private Label _start;
    private Label? _prologEnd;
    private Label? _pending;
    private int _pendingAt = -1;
    private int _frameRegister;
    private int _frameOffset;
    private bool _closed;

    internal UnwindBuilder(Assembler asm)
    {
        _asm = asm;
        if (asm.Instructions.Count != 0)
            throw new InvalidOperationException("f.Unwind must be first used before the function's first instruction");
        _start = AtNext();
    }

    /// <summary>After "push reg".</summary>
    public void Push(AssemblerRegister64 register) => Add(UnwindOperation.PushNonvolatile, Number(register));

    /// <summary>After "sub rsp, size" (or a push of a value nobody restores).</summary>
    public void Allocate(int size)
    {
        if (size % 8 != 0 || size == 0)
            throw new ArgumentException("stack allocations are whole, non-zero multiples of 8", nameof(size));
        if (size <= 128)
            Add(UnwindOperation.AllocSmall, (size / 8) - 1);
        else if (size / 8 <= 0xFFFF)
            Add(UnwindOperation.AllocLarge, 0, (ushort)(size / 8));
        else
            Add(UnwindOperation.AllocLarge, 1, (ushort)size, (ushort)(size >> 16));
    }

    /// <summary>After "lea/mov register, [rsp + offset]": the frame register, from which the rest of the frame is found.</summary>
    public void SetFramePointer(AssemblerRegister64 register, int offset)
    {
        _frameRegister = Number(register);
        _frameOffset = offset;
        Add(UnwindOperation.SetFramePointer, 0);
    }

    /// <summary>After "movdqa [frame base + offset], xmmN" (offset from the frame register's base, or RSP).</summary>
    public void SaveXmm(int xmm, int offset) => Add(UnwindOperation.SaveXmm128, xmm, (ushort)(offset / 16));

    /// <summary>At entry of a function entered by the CPU's interrupt delivery: RIP, CS, RFLAGS, RSP, SS (and an error code) are on the stack.</summary>
    public void MachineFrame(bool withErrorCode) => Add(UnwindOperation.PushMachineFrame, withErrorCode ? 1 : 0);

    /// <summary>Marks the end of the prolog (defaults to the last recorded step).</summary>
    public void EndProlog() => _prologEnd = AtNext();

    internal void Close()
    {
        if (_closed)
            return;
        _closed = true;
        _prologEnd ??= _steps.Count > 0 ? _steps[^1].After : _start;
    }

    internal UnwindDescription Resolve(Func<Label, int> offsetOf)
    {
        var steps = _steps.Select(s => new UnwindStep(s.Operation, s.Info, offsetOf(s.After) - offsetOf(_start), s.Operands)).ToList();
        return new UnwindDescription(offsetOf(_prologEnd!.Value) - offsetOf(_start), _frameRegister, _frameOffset, steps);
    }

    private void Add(UnwindOperation operation, int info, params ushort[] operands) => _steps.Add((operation, info, AtNext(), operands));

    // Iced binds a label to the next instruction and allows one label per instruction: share it.
    private Label AtNext()
    {
        if (_pending is not null && _pendingAt == _asm.Instructions.Count)
            return _pending.Value;
        Label label = _asm.CreateLabel();
        _asm.Label(ref label);
        _pending = label;
        _pendingAt = _asm.Instructions.Count;
        return label;
    }

    private static int Number(AssemblerRegister64 register) => register.Value - Register.RAX;
}
