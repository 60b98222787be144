// The kernel's interrupt entry: one small stub per vector (0..255) and one
// common routine. Every stub makes the stack look the same - the CPU's
// frame, an error code (0 where the CPU pushes none), the vector - and jumps
// to interrupt_common, which saves the general registers and the SSE state
// compiled C# may clobber, calls the C# dispatcher (InterruptDispatch) with
// a pointer to the frame, restores everything and returns with iretq.
//
// The frame, from the address the dispatcher receives upwards (this is
// Kernel/Arch/InterruptFrame.cs; tests/Host.Tests/AsmGen/InterruptStubTests.cs
// derives the offsets from the decoded code and compares them with the struct):
//
//   +0    r15 r14 r13 r12 r11 r10 r9 r8 rbp rdi rsi rdx rcx rbx rax   (15 x 8, pushed by interrupt_common)
//   +120  vector                                                     (pushed by the stub)
//   +128  error code                                                 (CPU, or 0 pushed by the stub)
//   +136  rip cs rflags rsp ss                                       (pushed by the CPU)
//
// Why only xmm0-xmm5 and MXCSR: the dispatcher is compiled C# following the
// Microsoft x64 convention, which preserves rbx, rbp, rdi, rsi, r12-r15 and
// xmm6-xmm15 itself. What it may change is rax, rcx, rdx, r8-r11 (saved here
// with all the others, so handlers see and may edit every register), xmm0-xmm5
// and MXCSR's status bits. Compiled C# uses no x87 and no AVX, so fxsave's
// 512 bytes would buy nothing today; a preemptive scheduler that switches
// between threads would save the full state (fxsave/xsave) in its switch.
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace AsmGen.Modules;

public static class InterruptStubs
{
    public const int VectorCount = 256;

    /// <summary>The C# method ([UnmanagedCallersOnly] entry point) every interrupt reaches.</summary>
    public const string Dispatcher = "InterruptDispatch";

    public const string CommonEntry = "interrupt_common";

    /// <summary>A table of VectorCount 64-bit stub addresses, indexed by vector.</summary>
    public const string StubTable = "interrupt_stub_table";

    /// <summary>Bytes of the frame (general registers, vector, error code, CPU frame).</summary>
    public const int FrameSize = 22 * 8;

    /// <summary>xmm0-xmm5 (16 bytes each) plus MXCSR, stored below the frame.</summary>
    public const int SseSaveSize = (6 * 16) + 16;

    private const int ShadowSpace = 32;

    /// <summary>Interrupt stack table stacks, reserved in .bss and mapped with guard pages by the kernel.</summary>
    public static readonly (string Name, uint Size)[] InterruptStacks =
    {
        ("double_fault", 32 * 1024),
        ("nmi", 16 * 1024),
        ("machine_check", 16 * 1024),
    };

    /// <summary>The push order of interrupt_common: the first register ends up highest in the frame.</summary>
    public static readonly AssemblerRegister64[] SavedRegisters =
    {
        rax, rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15,
    };

    /// <summary>True for the exceptions where the CPU itself pushes an error code.</summary>
    public static bool CpuPushesErrorCode(int vector) => vector is 8 or (>= 10 and <= 14) or 17 or 21 or 29 or 30;

    public static string StubName(int vector) => "interrupt_stub_" + vector.ToString("D3");

    public static void Emit(NativeObject o)
    {
        EmitCommonEntry(o);
        var stubs = new List<string>(VectorCount);
        for (int vector = 0; vector < VectorCount; vector++)
        {
            string name = StubName(vector);
            EmitStub(o, vector, name);
            stubs.Add(name);
        }

        o.AddressTable(StubTable, stubs);
        o.Function("interrupt_stub_table_address", "Returns the address of the table of 256 stub entry points (indexed by vector).", f =>
        {
            f.LoadAddress(rax, StubTable);
            f.Asm.ret();
        });

        EmitInterruptStacks(o);
    }

    private static void EmitStub(NativeObject o, int vector, string name)
    {
        string errorCode = CpuPushesErrorCode(vector) ? "the CPU's error code" : "a 0 error code";
        o.Function(name, $"Vector {vector}: pushes {errorCode} and the vector, jumps to {CommonEntry}.", f =>
        {
            if (!CpuPushesErrorCode(vector))
                f.Asm.push(0);
            f.Asm.push(vector);
            f.JumpToSymbol(CommonEntry);
        });
    }

    private static void EmitCommonEntry(NativeObject o)
    {
        o.Function(CommonEntry, $"Saves registers and SSE state, calls {Dispatcher}(frame), restores, drops vector and error code, iretq.", f =>
        {
            // Unwind data: the CPU's frame with an error code (the stubs push 0 where the CPU does not), the
            // vector, the pushes, then rbx as the frame register - RSP itself is realigned below.
            UnwindBuilder unwind = f.Unwind;
            unwind.MachineFrame(withErrorCode: true);
            unwind.Allocate(8);
            foreach (AssemblerRegister64 register in SavedRegisters)
            {
                f.Asm.push(register);
                unwind.Push(register);
            }

            // rbx (saved above, so free) keeps the frame address across the call: the dispatcher preserves it.
            f.Asm.mov(rbx, rsp);
            unwind.SetFramePointer(rbx, 0);
            f.Asm.cld(); // the calling convention requires DF = 0; the interrupted code may have set it
            f.Asm.and(rsp, -16); // the CPU aligns before pushing its frame, but do not depend on every entry path
            f.Asm.sub(rsp, SseSaveSize + ShadowSpace);
            for (int i = 0; i < 6; i++)
                f.Asm.movdqa(__xmmword_ptr[rsp + ShadowSpace + (16 * i)], XmmRegisters.Get(i));
            f.Asm.stmxcsr(__dword_ptr[rsp + ShadowSpace + 96]);

            f.Asm.mov(rcx, rbx);
            f.CallSymbol(Dispatcher);

            f.Asm.ldmxcsr(__dword_ptr[rsp + ShadowSpace + 96]);
            for (int i = 0; i < 6; i++)
                f.Asm.movdqa(XmmRegisters.Get(i), __xmmword_ptr[rsp + ShadowSpace + (16 * i)]);
            f.Asm.mov(rsp, rbx);
            for (int i = SavedRegisters.Length - 1; i >= 0; i--)
                f.Asm.pop(SavedRegisters[i]);
            f.Asm.add(rsp, 16); // vector and error code
            f.Asm.iretq();
        });
    }

    // Each stack is page aligned and a whole number of pages, so the kernel can map its frames
    // (through the physical window) at a dedicated address with an unmapped guard page below.
    private static void EmitInterruptStacks(NativeObject o)
    {
        foreach ((string name, uint size) in InterruptStacks)
        {
            string region = "kernel_ist_" + name + "_stack";
            o.Reserve(region, size, 4096);
            o.Function(region + "_address", $"Returns the start of the {name} IST stack memory (.bss, {size / 1024} KiB).", f =>
            {
                f.LoadAddress(rax, region);
                f.Asm.ret();
            });
            o.Function(region + "_size", $"Returns the size of the {name} IST stack memory in bytes.", f =>
            {
                f.Asm.mov(eax, size);
                f.Asm.ret();
            });
        }
    }
}
