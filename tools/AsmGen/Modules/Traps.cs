// Instructions that raise exceptions on purpose, or that exist to prove the
// interrupt path works: the kernel's fault triggers (Kernel/Diagnostics/
// Faults.cs) and its interrupt tests use them. Each is also correct on the
// ordinary path (cpu_divide_u64 divides, cpu_load_ds loads a good selector),
// so nothing here is a fault-only stub except cpu_ud2.
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace AsmGen.Modules;

public static class Traps
{
    /// <summary>Bytes per entry of the software-interrupt table: int imm8 (2), ret (1), padding.</summary>
    public const int SoftwareInterruptEntrySize = 8;

    public const string SoftwareInterruptTable = "cpu_software_interrupt_table";

    /// <summary>Bit of interrupt_check_preserved's result for RFLAGS.CF and DF not coming back as set.</summary>
    public const int FlagsBit = 32;

    /// <summary>The registers interrupt_check_preserved fills and checks (bit i of its result = register i).</summary>
    public static readonly AssemblerRegister64[] CheckedRegisters =
    {
        rax, rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15,
    };

    /// <summary>The value interrupt_check_preserved puts in general register <paramref name="index"/>.</summary>
    public static ulong RegisterPattern(int index) => 0x5A5A_0000_0000_0000UL | ((ulong)(index + 1) * 0x0101_0101_0101UL);

    /// <summary>The value interrupt_check_preserved puts in both halves of xmm<paramref name="index"/>.</summary>
    public static ulong XmmPattern(int index) => 0xC3C3_0000_0000_0000UL | ((ulong)(index + 1) * 0x0001_0001_0001UL);

    public static void Emit(NativeObject o)
    {
        o.Function("cpu_divide_u64", "Returns rcx / rdx (unsigned div). A zero divisor raises #DE at the div.", f =>
        {
            f.Asm.mov(rax, rcx);
            f.Asm.mov(r8, rdx);
            f.Asm.xor(edx, edx);
            f.Asm.div(r8);
            f.Asm.ret();
        });

        o.Function("cpu_ud2", "Executes ud2: raises #UD. Never returns.", f => f.Asm.ud2());

        // A read in machine code: a fault here is never turned into a C# exception (only compiled C# is).
        o.Function("cpu_read_u64", "Returns the 8 bytes at [rcx] (may fault: that is what the fault triggers want).", f =>
        {
            f.Asm.mov(rax, __qword_ptr[rcx]);
            f.Asm.ret();
        });

        o.Function("cpu_load_ds", "DS = cx. A selector beyond the GDT raises #GP with the selector as error code.", f =>
        {
            f.Asm.mov(ds, cx);
            f.Asm.ret();
        });

        o.Function("cpu_read_tr", "Returns the task register's selector (str).", f =>
        {
            f.Asm.xor(eax, eax);
            f.Asm.str(ax);
            f.Asm.ret();
        });

        EmitSoftwareInterrupt(o);
        EmitPreservationCheck(o);
    }

    // int takes its vector as an immediate, so a variable vector needs one instruction per vector.
    private static void EmitSoftwareInterrupt(NativeObject o)
    {
        o.Function(SoftwareInterruptTable, "256 entries of 8 bytes: int n; ret. Entry n raises vector n.", f =>
        {
            for (int vector = 0; vector < InterruptStubs.VectorCount; vector++)
            {
                if (vector == 3)
                    f.Asm.db(0xCD, 0x03); // Iced would encode int 3 as the one-byte int3; keep every entry alike
                else
                    f.Asm.@int(unchecked((sbyte)vector));
                f.Asm.ret();
                f.Asm.db(0xCC, 0xCC, 0xCC, 0xCC, 0xCC);
            }
        });

        o.Function("cpu_software_interrupt", "Raises vector cl with int n; returns rax as the handler left it in the frame.", f =>
        {
            f.Asm.movzx(ecx, cl);
            f.LoadAddress(rax, SoftwareInterruptTable);
            f.Asm.lea(rax, __[rax + (rcx * SoftwareInterruptEntrySize)]);
            f.Asm.jmp(rax);
        });
    }

    // Fills every general register and xmm0-xmm15 with a known pattern, sets CF and DF, raises
    // vector cl and checks that all of it came back. Returns a mask of what changed: bit i for
    // CheckedRegisters[i], bit 16 + j for xmm j, FlagsBit for CF or DF. 0 means the interrupt
    // path preserved the interrupted code's state.
    private static void EmitPreservationCheck(NativeObject o)
    {
        o.Function("interrupt_check_preserved", "Raises vector cl with known values in all registers; returns a mask of the registers that changed.", f =>
        {
            Assembler a = f.Asm;
            AssemblerRegister64[] calleeSaved = { rbx, rbp, rdi, rsi, r12, r13, r14, r15 };
            foreach (AssemblerRegister64 register in calleeSaved)
                a.push(register);

            // Entry rsp = 8 (mod 16); 8 pushes keep it there; 168 bytes realign it and hold xmm6-xmm15.
            a.sub(rsp, 168);
            for (int i = 6; i < 16; i++)
                a.movdqa(__xmmword_ptr[rsp + (16 * (i - 6))], XmmRegisters.Get(i));

            a.movzx(ecx, cl);
            f.LoadAddress(rax, SoftwareInterruptTable);
            a.lea(rax, __[rax + (rcx * SoftwareInterruptEntrySize)]);
            a.push(rax); // the target, called through [rsp] once every register holds its pattern

            for (int i = 0; i < 16; i++)
            {
                a.mov(rax, XmmPattern(i));
                a.movq(XmmRegisters.Get(i), rax);
                a.punpcklqdq(XmmRegisters.Get(i), XmmRegisters.Get(i));
            }

            for (int i = 0; i < CheckedRegisters.Length; i++)
                a.mov(CheckedRegisters[i], RegisterPattern(i));
            a.stc();
            a.std();
            a.call(__qword_ptr[rsp]);

            // Snapshot everything before any instruction can change it, then compare at leisure.
            a.pushfq();
            a.cld();
            for (int i = CheckedRegisters.Length - 1; i >= 0; i--)
                a.push(CheckedRegisters[i]);
            a.sub(rsp, 16 * 16);
            for (int i = 0; i < 16; i++)
                a.movdqu(__xmmword_ptr[rsp + (16 * i)], XmmRegisters.Get(i));

            // Layout now: [rsp] xmm0..15, [rsp + 256] registers in CheckedRegisters order, then rflags.
            a.xor(r9d, r9d);
            for (int i = 0; i < CheckedRegisters.Length; i++)
                EmitCompare(a, 256 + (8 * i), RegisterPattern(i), i);
            for (int i = 0; i < 16; i++)
            {
                EmitCompare(a, 16 * i, XmmPattern(i), 16 + i);
                EmitCompare(a, (16 * i) + 8, XmmPattern(i), 16 + i);
            }

            const ulong CarryAndDirection = (1UL << 0) | (1UL << 10);
            int flagsOffset = 256 + (8 * CheckedRegisters.Length);
            a.mov(rax, __qword_ptr[rsp + flagsOffset]);
            a.and(eax, (int)CarryAndDirection);
            a.cmp(eax, (int)CarryAndDirection);
            a.setne(dl);
            a.movzx(edx, dl);
            a.shl(rdx, (byte)FlagsBit);
            a.or(r9, rdx);

            a.add(rsp, flagsOffset + 8 + 8); // snapshot, rflags and the call target
            for (int i = 6; i < 16; i++)
                a.movdqa(XmmRegisters.Get(i), __xmmword_ptr[rsp + (16 * (i - 6))]);
            a.add(rsp, 168);
            for (int i = calleeSaved.Length - 1; i >= 0; i--)
                a.pop(calleeSaved[i]);
            a.mov(rax, r9);
            a.ret();
        });
    }

    // r9 |= (qword [rsp + offset] != expected) << bit; clobbers rax and rdx.
    private static void EmitCompare(Assembler a, int offset, ulong expected, int bit)
    {
        a.mov(rax, expected);
        a.cmp(__qword_ptr[rsp + offset], rax);
        a.setne(dl);
        a.movzx(edx, dl);
        a.shl(rdx, (byte)bit);
        a.or(r9, rdx);
    }
}
