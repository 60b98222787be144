// Machine code the garbage collector needs: a way to see the registers. At a
// collection, references may sit in callee-saved registers of the frames
// above (Microsoft x64: rbx, rbp, rdi, rsi, r12-r15); the volatile ones were
// saved on the stack by the callers that needed them. gc_spill_and_scan
// pushes the callee-saved registers, so that they lie on the stack below
// every frame, and calls the scanner with the address of the lowest pushed
// word: scanning from there to the stack's top covers every register and
// every frame. Compiled code never keeps references in XMM registers (GC
// info cannot describe them), so those are not spilled.
using static Iced.Intel.AssemblerRegisters;

namespace AsmGen.Modules;

public static class Collector
{
    /// <summary>Callee-saved registers pushed, in push order.</summary>
    public static readonly string[] SpilledRegisters = { "rbx", "rbp", "rdi", "rsi", "r12", "r13", "r14", "r15" };

    public static void Emit(NativeObject o)
    {
        o.Function("gc_spill_and_scan", "Pushes rbx, rbp, rdi, rsi, r12-r15, calls rcx(rsp after the pushes, rdx), pops them, returns.", f =>
        {
            f.Asm.push(rbx);
            f.Asm.push(rbp);
            f.Asm.push(rdi);
            f.Asm.push(rsi);
            f.Asm.push(r12);
            f.Asm.push(r13);
            f.Asm.push(r14);
            f.Asm.push(r15);
            f.Asm.mov(rax, rcx);
            f.Asm.mov(rcx, rsp);
            // Entry rsp = 8 (mod 16); 8 pushes keep it there; 40 = shadow space + realignment.
            f.Asm.sub(rsp, 40);
            f.Asm.call(rax);
            f.Asm.add(rsp, 40);
            f.Asm.pop(r15);
            f.Asm.pop(r14);
            f.Asm.pop(r13);
            f.Asm.pop(r12);
            f.Asm.pop(rsi);
            f.Asm.pop(rdi);
            f.Asm.pop(rbp);
            f.Asm.pop(rbx);
            f.Asm.ret();
        });
    }
}
