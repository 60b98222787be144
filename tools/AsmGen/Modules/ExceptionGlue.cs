// Machine code for exception dispatch (Shared/CoreLib/System/Runtime/ExceptionHandling.cs):
// the entry points ILCompiler's code calls to throw (RhpThrowEx, RhpRethrow),
// the landing point a hardware fault is redirected to, the call of a funclet
// with its parent frame's registers, and the final jump into the code after a
// catch. Each throw entry saves the thrower's callee-saved registers, stack
// pointer and return address in an UnwindContext (its layout is fixed in
// Shared/CoreLib/Internal/Runtime/Unwinding/UnwindContext.cs) and hands it to
// the managed dispatcher, which never returns.
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace AsmGen.Modules;

public static class ExceptionGlue
{
    public const string CallFunclet = "rt_call_funclet";
    public const string Resume = "rt_resume_after_catch";
    public const string ThrowHardwareFault = "rt_throw_hardware_fault";

    // UnwindContext offsets.
    private const int RipOffset = 128;
    private const int XmmOffset = 144;
    private const int ContextSize = XmmOffset + (16 * 16);
    private const int ShadowSpace = 32;

    /// <summary>sub rsp amount in the throw entries: shadow space + context, keeping rsp 16-aligned (entry rsp is 8 mod 16).</summary>
    public const int ThrowFrameSize = ShadowSpace + ContextSize + 8;

    /// <summary>The callee-saved general registers of the Microsoft x64 ABI, with their x64 numbers.</summary>
    public static readonly (AssemblerRegister64 Register, int Number)[] Nonvolatile =
    {
        (rbx, 3), (rbp, 5), (rsi, 6), (rdi, 7), (r12, 12), (r13, 13), (r14, 14), (r15, 15),
    };

    public static void Emit(NativeObject o)
    {
        EmitThrowEntry(o, "RhpThrowEx", "Throws the exception in rcx: captures the caller's frame and enters RhThrowEx(rcx, context). Never returns.", "RhThrowEx", passException: true);
        EmitThrowEntry(o, "RhpRethrow", "'throw;' in a catch: captures the caller's frame and enters RhRethrow(context). Never returns.", "RhRethrow", passException: false);
        EmitHardwareFaultEntry(o);
        EmitCallFunclet(o);
        EmitResume(o);

        o.Function("rt_image_base", "Returns the address the image is loaded at (__ImageBase: its PE headers).", f =>
        {
            f.LoadAddress(rax, "__ImageBase");
            f.Asm.ret();
        });
    }

    private static void EmitThrowEntry(NativeObject o, string name, string summary, string managed, bool passException)
    {
        o.Function(name, summary, f =>
        {
            UnwindBuilder unwind = f.Unwind;
            f.Asm.sub(rsp, ThrowFrameSize);
            unwind.Allocate(ThrowFrameSize);
            const int context = ShadowSpace;
            foreach (var (register, number) in Nonvolatile)
                f.Asm.mov(__qword_ptr[rsp + context + (8 * number)], register);
            f.Asm.lea(rax, __qword_ptr[rsp + ThrowFrameSize + 8]);
            f.Asm.mov(__qword_ptr[rsp + context + (8 * 4)], rax);
            f.Asm.mov(rax, __qword_ptr[rsp + ThrowFrameSize]);
            f.Asm.mov(__qword_ptr[rsp + context + RipOffset], rax);
            for (int xmm = 6; xmm < 16; xmm++)
                f.Asm.movdqa(__xmmword_ptr[rsp + context + XmmOffset + (16 * xmm)], Xmm(xmm));
            if (passException)
                f.Asm.lea(rdx, __qword_ptr[rsp + context]);
            else
                f.Asm.lea(rcx, __qword_ptr[rsp + context]);
            f.CallSymbol(managed);
            f.Asm.int3(); // the dispatcher resumes elsewhere or stops the machine
        });
    }

    // Entered by iretq from a fault handler instead of a call (writing a return address below the faulting
    // RSP could overwrite the CPU's own frame, which sits there): RSP is the faulting code's, rdx its RIP.
    private static void EmitHardwareFaultEntry(NativeObject o)
    {
        const int frameSize = ThrowFrameSize + 8;
        o.Function(ThrowHardwareFault, "Where a fault in managed code resumes (iretq): rsp = faulting code's, rdx = faulting RIP, ecx = fault kind. Enters RhThrowHardwareFault(ecx, context). Never returns.", f =>
        {
            // A leaf method faults with RSP = 8 (mod 16), a framed one with 0: align, keeping the original.
            f.Asm.mov(rax, rsp);
            f.Asm.and(rsp, -16);
            f.Asm.sub(rsp, frameSize);
            const int context = ShadowSpace;
            foreach (var (register, number) in Nonvolatile)
                f.Asm.mov(__qword_ptr[rsp + context + (8 * number)], register);
            f.Asm.mov(__qword_ptr[rsp + context + (8 * 4)], rax);
            f.Asm.mov(__qword_ptr[rsp + context + RipOffset], rdx);
            for (int xmm = 6; xmm < 16; xmm++)
                f.Asm.movdqu(__xmmword_ptr[rsp + context + XmmOffset + (16 * xmm)], Xmm(xmm));
            f.Asm.lea(rdx, __qword_ptr[rsp + context]);
            f.CallSymbol("RhThrowHardwareFault");
            f.Asm.int3();
        });

        o.Function(ThrowHardwareFault + "_address", "Returns the address of " + ThrowHardwareFault + ".", f =>
        {
            f.LoadAddress(rax, ThrowHardwareFault);
            f.Asm.ret();
        });
    }

    private static void EmitCallFunclet(NativeObject o)
    {
        // 8 pushes leave rsp = 8 (mod 16) + 64; 200 more realigns it and holds shadow space and xmm6-15.
        const int locals = ShadowSpace + (10 * 16) + 8;
        o.Function(CallFunclet, "rcx = funclet, rdx = its argument (the exception), r8 = parent frame's UnwindContext, r9 = where to store rsp at the call. Calls the funclet with the parent's callee-saved registers (rbp: its frame) and returns what it returns.", f =>
        {
            _ = f.Unwind;
            foreach (var (register, _) in Nonvolatile)
            {
                f.Asm.push(register);
                f.Unwind.Push(register);
            }

            f.Asm.sub(rsp, locals);
            f.Unwind.Allocate(locals);
            for (int i = 0; i < 10; i++)
            {
                f.Asm.movdqa(__xmmword_ptr[rsp + ShadowSpace + (16 * i)], Xmm(6 + i));
                f.Unwind.SaveXmm(6 + i, ShadowSpace + (16 * i));
            }

            f.Asm.mov(rax, rcx);
            f.Asm.mov(rcx, rdx);
            foreach (var (register, number) in Nonvolatile)
                f.Asm.mov(register, __qword_ptr[r8 + (8 * number)]);
            f.Asm.mov(__qword_ptr[r9], rsp);
            f.Asm.call(rax);

            for (int i = 0; i < 10; i++)
                f.Asm.movdqa(Xmm(6 + i), __xmmword_ptr[rsp + ShadowSpace + (16 * i)]);
            f.Asm.add(rsp, locals);
            for (int i = Nonvolatile.Length - 1; i >= 0; i--)
                f.Asm.pop(Nonvolatile[i].Register);
            f.Asm.ret();
        });
    }

    private static void EmitResume(NativeObject o)
    {
        o.Function(Resume, "rcx = UnwindContext of the frame that caught, rdx = continuation: loads its callee-saved registers and stack pointer and jumps. Never returns.", f =>
        {
            foreach (var (register, number) in Nonvolatile)
                f.Asm.mov(register, __qword_ptr[rcx + (8 * number)]);
            for (int xmm = 6; xmm < 16; xmm++)
                f.Asm.movdqu(Xmm(xmm), __xmmword_ptr[rcx + XmmOffset + (16 * xmm)]);
            f.Asm.mov(rsp, __qword_ptr[rcx + (8 * 4)]);
            f.Asm.jmp(rdx);
        });
    }

    private static AssemblerRegisterXMM Xmm(int index) => index switch
    {
        0 => xmm0, 1 => xmm1, 2 => xmm2, 3 => xmm3, 4 => xmm4, 5 => xmm5, 6 => xmm6, 7 => xmm7,
        8 => xmm8, 9 => xmm9, 10 => xmm10, 11 => xmm11, 12 => xmm12, 13 => xmm13, 14 => xmm14, _ => xmm15,
    };
}
