// Machine code the runtime library (Shared/CoreLib) and ILCompiler's output
// need: helpers with calling conventions C# cannot express (write barriers,
// the interface dispatch stub, the stack probe), accessors for linker symbols,
// the no-op GC-transition hooks, and the C memory functions the compiler may call.
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace AsmGen.Modules;

public static class RuntimeGlue
{
    public static void Emit(NativeObject o)
    {
        o.Function("rt_halt_forever", "Interrupts off, halt forever. Never returns.", f =>
        {
            Label loop = f.Asm.CreateLabel();
            f.Asm.cli();
            f.Asm.Label(ref loop);
            f.Asm.hlt();
            f.Asm.jmp(loop);
        });

        o.Function("rt_ready_to_run_header", "Returns the address of ILCompiler's __ReadyToRunHeader.", f =>
        {
            f.LoadAddress(rax, "__ReadyToRunHeader");
            f.Asm.ret();
        });

        // There is no generational GC, so storing a reference needs no card marking.
        o.Function("RhpAssignRef", "Write barrier: *rcx = rdx.", f =>
        {
            f.Asm.mov(__qword_ptr[rcx], rdx);
            f.Asm.ret();
        });

        o.Function("RhpCheckedAssignRef", "Checked write barrier: *rcx = rdx.", f =>
        {
            f.Asm.mov(__qword_ptr[rcx], rdx);
            f.Asm.ret();
        });

        // JIT helper convention: copies one reference from [rsi] to [rdi], advances both; only rcx may change.
        o.Function("RhpByRefAssignRef", "Copies a reference from [rsi] to [rdi] and advances both by 8; clobbers rcx only.", f =>
        {
            f.Asm.mov(rcx, __qword_ptr[rsi]);
            f.Asm.mov(__qword_ptr[rdi], rcx);
            f.Asm.add(rdi, 8);
            f.Asm.add(rsi, 8);
            f.Asm.ret();
        });

        // Called in the prologue of methods with frames larger than a page: touches every page
        // from below rsp down to r11 so that a guard page is hit in order (a clean stack-overflow fault).
        o.Function("RhpStackProbe", "Probes each stack page from rsp down to r11. Clobbers rax; preserves everything else.", f =>
        {
            Label loop = f.Asm.CreateLabel();
            f.Asm.mov(rax, rsp);
            f.Asm.and(rax, -0x1000);
            f.Asm.Label(ref loop);
            f.Asm.sub(rax, 0x1000);
            f.Asm.test(__dword_ptr[rax], eax);
            f.Asm.cmp(rax, r11);
            f.Asm.ja(loop);
            f.Asm.ret();
        });

        // Interface dispatch: r11 = dispatch cell, rcx = this, rdx/r8/r9/xmm0-3 = arguments (preserved).
        // The managed resolver returns the target, which is entered with the original arguments.
        o.Function("RhpInitialDynamicInterfaceDispatch", "Resolves the interface call described by the cell in r11 and tail-jumps to the implementation.", f =>
        {
            f.Asm.push(rcx);
            f.Asm.push(rdx);
            f.Asm.push(r8);
            f.Asm.push(r9);
            // 4 pushes after the return address leave rsp = 8 (mod 16); 0x68 realigns it and holds
            // 32 bytes of shadow space plus four 16-byte XMM save slots.
            f.Asm.sub(rsp, 0x68);
            f.Asm.movdqa(__xmmword_ptr[rsp + 0x20], xmm0);
            f.Asm.movdqa(__xmmword_ptr[rsp + 0x30], xmm1);
            f.Asm.movdqa(__xmmword_ptr[rsp + 0x40], xmm2);
            f.Asm.movdqa(__xmmword_ptr[rsp + 0x50], xmm3);
            f.Asm.mov(rdx, r11);
            f.CallSymbol("RhpResolveInterfaceCall");
            f.Asm.movdqa(xmm0, __xmmword_ptr[rsp + 0x20]);
            f.Asm.movdqa(xmm1, __xmmword_ptr[rsp + 0x30]);
            f.Asm.movdqa(xmm2, __xmmword_ptr[rsp + 0x40]);
            f.Asm.movdqa(xmm3, __xmmword_ptr[rsp + 0x50]);
            f.Asm.add(rsp, 0x68);
            f.Asm.pop(r9);
            f.Asm.pop(r8);
            f.Asm.pop(rdx);
            f.Asm.pop(rcx);
            f.Asm.jmp(rax);
        });

        // GC-transition hooks: with no GC and one thread they have nothing to do.
        foreach (string hook in new[] { "RhpPInvoke", "RhpPInvokeReturn", "RhpReversePInvoke", "RhpReversePInvokeReturn", "RhpGcPoll" })
            o.Function(hook, "GC transition hook; nothing to do without a collector.", f => f.Asm.ret());

        o.Function("memset", "memset(rcx = destination, edx = byte, r8 = count); returns destination.", f =>
        {
            f.Asm.mov(r9, rdi);
            f.Asm.mov(r10, rcx);
            f.Asm.mov(rdi, rcx);
            f.Asm.mov(eax, edx);
            f.Asm.mov(rcx, r8);
            f.Asm.rep.stosb();
            f.Asm.mov(rdi, r9);
            f.Asm.mov(rax, r10);
            f.Asm.ret();
        });

        o.Function("memcpy", "memcpy(rcx = destination, rdx = source, r8 = count) for non-overlapping ranges; returns destination.", f =>
        {
            f.Asm.mov(r9, rdi);
            f.Asm.mov(r10, rsi);
            f.Asm.mov(rax, rcx);
            f.Asm.mov(rdi, rcx);
            f.Asm.mov(rsi, rdx);
            f.Asm.mov(rcx, r8);
            f.Asm.rep.movsb();
            f.Asm.mov(rdi, r9);
            f.Asm.mov(rsi, r10);
            f.Asm.ret();
        });

        // Read by code compiled with SuppressGCTransition: non-zero would ask threads to stop for a GC.
        o.Variable32("RhpTrapThreads", 0);

        // Stack-buffer-overrun canary for methods with stackalloc; any non-zero value works.
        o.Variable64("__security_cookie", 0x2B992DDFA232UL);
    }
}
