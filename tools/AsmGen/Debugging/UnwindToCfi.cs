// Translates a function's Windows x64 unwind information (UNWIND_INFO in .xdata, which ILCompiler
// writes for every method) into DWARF call-frame instructions, so a debugger that reads
// .debug_frame - gdb on Linux, which has no Windows x64 unwinder - can walk the kernel's stack.
//
// The prologue operations describe, in order, how the function moved RSP and where it saved
// registers; each becomes CFA rules at the instruction that ends it. Epilogues are not described
// by UNWIND_INFO (Windows' unwinder recognizes them by their code), so the rules are wrong only
// while the program counter sits in an epilogue's few instructions.
namespace AsmGen.Debugging;

public static class UnwindToCfi
{
    // Windows' unwind register numbers (rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8-r15) -> DWARF's.
    private static readonly byte[] s_dwarfRegister = { 0, 2, 1, 3, 7, 6, 4, 5, 8, 9, 10, 11, 12, 13, 14, 15 };

    public const byte DwarfRsp = 7;
    public const byte DwarfReturnAddress = 16;

    private const byte PushNonvolatile = 0;
    private const byte AllocLarge = 1;
    private const byte AllocSmall = 2;
    private const byte SetFramePointer = 3;
    private const byte SaveNonvolatile = 4;
    private const byte SaveNonvolatileFar = 5;
    private const byte Epilog = 6;
    private const byte SaveXmm128 = 8;
    private const byte SaveXmm128Far = 9;
    private const byte PushMachineFrame = 10;
    private const byte ChainInfo = 0x4;

    public static byte DwarfRegister(int windowsRegister) => s_dwarfRegister[windowsRegister];

    /// <summary>
    /// The call-frame instructions for the function whose UNWIND_INFO starts at <paramref name="unwindRva"/>;
    /// <paramref name="read"/> gives image bytes by RVA. Null when the info cannot be expressed
    /// (a machine frame, an unknown operation): the debugger then falls back to its own guesses.
    /// </summary>
    public static byte[]? Translate(Func<uint, int, byte[]> read, uint unwindRva)
    {
        var state = new FrameState();
        var output = new List<byte>();
        return Emit(read, unwindRva, state, output, atOffsetZero: false, depth: 0) ? output.ToArray() : null;
    }

    private sealed class FrameState
    {
        public byte CfaRegister = DwarfRsp;
        public int Depth = 8; // CFA - RSP: the return address is on the stack at entry
        public int Location; // the function offset the emitted rules have advanced to
    }

    private readonly record struct Operation(byte CodeOffset, byte Op, byte Info, uint Operand);

    // Emits the rules of one UNWIND_INFO (after those of its chained parent, all at offset 0).
    private static bool Emit(Func<uint, int, byte[]> read, uint unwindRva, FrameState state, List<byte> output, bool atOffsetZero, int depth)
    {
        if (depth > 8)
            return false;
        byte[] header = read(unwindRva, 4);
        int version = header[0] & 7;
        int flags = header[0] >> 3;
        int codeCount = header[2];
        int frameRegister = header[3] & 0xF;
        int frameOffset = (header[3] >> 4) * 16;
        if (version is not (1 or 2))
            return false;
        byte[] codes = read(unwindRva + 4, codeCount * 2);

        if ((flags & ChainInfo) != 0)
        {
            // The parent's RUNTIME_FUNCTION follows the codes (padded to an even count): its whole
            // prologue has run before this fragment starts.
            byte[] parent = read(unwindRva + 4 + (uint)(((codeCount + 1) & ~1) * 2), 12);
            if (!Emit(read, BitConverter.ToUInt32(parent, 8), state, output, atOffsetZero: true, depth + 1))
                return false;
        }

        // The codes are stored last operation first; some take extra slots for their operand.
        var operations = new List<Operation>();
        for (int slot = 0; slot < codeCount;)
        {
            byte offset = codes[slot * 2];
            byte op = (byte)(codes[(slot * 2) + 1] & 0xF);
            byte info = (byte)(codes[(slot * 2) + 1] >> 4);
            ushort Slot(int i) => BitConverter.ToUInt16(codes, i * 2);
            switch (op)
            {
                case PushNonvolatile or AllocSmall or SetFramePointer or PushMachineFrame or Epilog:
                    operations.Add(new Operation(offset, op, info, 0));
                    slot += 1;
                    break;
                case AllocLarge when info == 0:
                    operations.Add(new Operation(offset, op, info, Slot(slot + 1) * 8u));
                    slot += 2;
                    break;
                case AllocLarge:
                    operations.Add(new Operation(offset, op, info, Slot(slot + 1) | ((uint)Slot(slot + 2) << 16)));
                    slot += 3;
                    break;
                case SaveNonvolatile or SaveXmm128:
                    operations.Add(new Operation(offset, op, info, Slot(slot + 1) * (op == SaveNonvolatile ? 8u : 16u)));
                    slot += 2;
                    break;
                case SaveNonvolatileFar or SaveXmm128Far:
                    operations.Add(new Operation(offset, op, info, Slot(slot + 1) | ((uint)Slot(slot + 2) << 16)));
                    slot += 3;
                    break;
                default:
                    return false;
            }
        }

        operations.Reverse();

        // Saves by MOV are relative to the frame base: RSP when the frame pointer was set, else RSP after the prologue.
        int finalDepth = state.Depth;
        int? frameBaseDepth = null;
        foreach (Operation operation in operations)
        {
            switch (operation.Op)
            {
                case PushNonvolatile: finalDepth += 8; break;
                case AllocSmall: finalDepth += (operation.Info * 8) + 8; break;
                case AllocLarge: finalDepth += (int)operation.Operand; break;
                case SetFramePointer: frameBaseDepth ??= finalDepth; break;
            }
        }

        int baseDepth = frameBaseDepth ?? finalDepth;
        foreach (Operation operation in operations)
        {
            if (operation.Op == Epilog)
                continue;
            if (operation.Op == PushMachineFrame)
                return false;
            if (!atOffsetZero)
                AdvanceTo(output, state, operation.CodeOffset);
            switch (operation.Op)
            {
                case PushNonvolatile:
                    state.Depth += 8;
                    DefineCfaOffset(output, state);
                    Offset(output, s_dwarfRegister[operation.Info], state.Depth);
                    break;
                case AllocSmall:
                    state.Depth += (operation.Info * 8) + 8;
                    DefineCfaOffset(output, state);
                    break;
                case AllocLarge:
                    state.Depth += (int)operation.Operand;
                    DefineCfaOffset(output, state);
                    break;
                case SetFramePointer:
                    // frame register = RSP + frameOffset, so CFA = frame register + (depth - frameOffset).
                    state.CfaRegister = s_dwarfRegister[frameRegister];
                    output.Add(0x0C); // DW_CFA_def_cfa
                    Uleb(output, state.CfaRegister);
                    Uleb(output, (ulong)(state.Depth - frameOffset));
                    break;
                case SaveNonvolatile or SaveNonvolatileFar:
                    Offset(output, s_dwarfRegister[operation.Info], baseDepth - (int)operation.Operand);
                    break;
                    // XMM saves: the debugger's backtrace needs only the integer registers.
            }
        }

        return true;
    }

    private static void AdvanceTo(List<byte> output, FrameState state, int location)
    {
        int delta = location - state.Location;
        if (delta <= 0)
            return;
        if (delta < 0x40)
        {
            output.Add((byte)(0x40 | delta)); // DW_CFA_advance_loc
        }
        else
        {
            output.Add(0x02); // DW_CFA_advance_loc1 (prologues are shorter than 256 bytes)
            output.Add((byte)delta);
        }

        state.Location = location;
    }

    private static void DefineCfaOffset(List<byte> output, FrameState state)
    {
        if (state.CfaRegister != DwarfRsp)
            return; // CFA follows the frame register; RSP moves no longer matter
        output.Add(0x0E); // DW_CFA_def_cfa_offset
        Uleb(output, (ulong)state.Depth);
    }

    // The register's saved value is at CFA - distance (distance a multiple of 8: data alignment factor -8).
    private static void Offset(List<byte> output, byte register, int distance)
    {
        if (distance <= 0 || distance % 8 != 0)
            return;
        output.Add((byte)(0x80 | register)); // DW_CFA_offset
        Uleb(output, (ulong)(distance / 8));
    }

    public static void Uleb(List<byte> output, ulong value)
    {
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            output.Add(value != 0 ? (byte)(b | 0x80) : b);
        }
        while (value != 0);
    }
}
