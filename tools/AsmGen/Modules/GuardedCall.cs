// Running a function so that it can be abandoned: rt_run_guarded saves the
// callee-saved state (Microsoft x64 ABI: rbx, rbp, rdi, rsi, r12-r15,
// xmm6-xmm15 and rsp) in a buffer, then calls the function. rt_abort_guarded,
// called from anywhere below it, restores that state and makes rt_run_guarded
// return 1, as if the function had returned with a failure. The test runner
// uses it to end a test at its first failed assertion and go on with the next.
using static Iced.Intel.AssemblerRegisters;

namespace AsmGen.Modules;

public static class GuardedCall
{
    /// <summary>Bytes a jump buffer needs: 9 general registers, 10 XMM registers.</summary>
    public const int BufferSize = (9 * 8) + (10 * 16) + 8;

    private const int XmmOffset = 80; // 16-byte aligned within a 16-byte aligned buffer

    public static void Emit(NativeObject o)
    {
        o.Function("rt_run_guarded", "Saves callee-saved state in [rdx] (16-byte aligned, 240 bytes), calls rcx(r8). Returns 0, or 1 if aborted.", f =>
        {
            f.Asm.mov(__qword_ptr[rdx], rbx);
            f.Asm.mov(__qword_ptr[rdx + 8], rbp);
            f.Asm.mov(__qword_ptr[rdx + 16], rdi);
            f.Asm.mov(__qword_ptr[rdx + 24], rsi);
            f.Asm.mov(__qword_ptr[rdx + 32], r12);
            f.Asm.mov(__qword_ptr[rdx + 40], r13);
            f.Asm.mov(__qword_ptr[rdx + 48], r14);
            f.Asm.mov(__qword_ptr[rdx + 56], r15);
            f.Asm.mov(__qword_ptr[rdx + 64], rsp);
            for (int i = 0; i < 10; i++)
                f.Asm.movdqa(__xmmword_ptr[rdx + XmmOffset + (16 * i)], XmmRegisters.Get(6 + i));
            f.Asm.mov(rax, rcx);
            f.Asm.mov(rcx, r8);
            f.Asm.sub(rsp, 40);
            f.Asm.call(rax);
            f.Asm.add(rsp, 40);
            f.Asm.xor(eax, eax);
            f.Asm.ret();
        });

        o.Function("rt_abort_guarded", "Restores the state saved in [rcx] by rt_run_guarded and makes it return 1. Never returns.", f =>
        {
            f.Asm.mov(rbx, __qword_ptr[rcx]);
            f.Asm.mov(rbp, __qword_ptr[rcx + 8]);
            f.Asm.mov(rdi, __qword_ptr[rcx + 16]);
            f.Asm.mov(rsi, __qword_ptr[rcx + 24]);
            f.Asm.mov(r12, __qword_ptr[rcx + 32]);
            f.Asm.mov(r13, __qword_ptr[rcx + 40]);
            f.Asm.mov(r14, __qword_ptr[rcx + 48]);
            f.Asm.mov(r15, __qword_ptr[rcx + 56]);
            f.Asm.mov(rsp, __qword_ptr[rcx + 64]);
            for (int i = 0; i < 10; i++)
                f.Asm.movdqa(XmmRegisters.Get(6 + i), __xmmword_ptr[rcx + XmmOffset + (16 * i)]);
            f.Asm.mov(eax, 1);
            f.Asm.ret();
        });
    }
}
