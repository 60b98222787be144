// Privileged and special instructions, one small function each, following
// the Microsoft x64 calling convention (arguments in rcx, rdx, r8, r9; result
// in rax). The kernel and the loader bind to them through typed wrappers
// (Kernel/Arch, Efi/Arch); nothing else calls them directly.
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace AsmGen.Modules;

public static class Cpu
{
    public static void Emit(NativeObject o)
    {
        EmitPortIo(o);
        EmitControlRegisters(o);
        EmitModelSpecificRegisters(o);
        EmitDescriptorTables(o);
        EmitInterruptControl(o);
        EmitMisc(o);
    }

    // One entry per width: the same two sequences with a different data register.
    private static readonly (string Suffix, string Instruction, string Value, bool ZeroExtend, Action<Assembler> Out, Action<Assembler> In)[] s_portWidths =
    {
        ("b", "al", "byte", true, a => a.@out(dx, al), a => a.@in(al, dx)),
        ("w", "ax", "word", true, a => a.@out(dx, ax), a => a.@in(ax, dx)),
        ("d", "eax", "dword", false, a => a.@out(dx, eax), a => a.@in(eax, dx)),
    };

    private static void EmitPortIo(NativeObject o)
    {
        foreach (var width in s_portWidths)
        {
            o.Function("cpu_out" + width.Suffix, $"out dx, {width.Instruction}: cx = port, edx = value ({width.Value}).", f =>
            {
                f.Asm.mov(eax, edx);
                f.Asm.mov(edx, ecx);
                width.Out(f.Asm);
                f.Asm.ret();
            });
        }

        foreach (var width in s_portWidths)
        {
            o.Function("cpu_in" + width.Suffix, $"in {width.Instruction}, dx: cx = port; returns the {width.Value}{(width.ZeroExtend ? " zero-extended" : "")}.", f =>
            {
                f.Asm.mov(edx, ecx);
                if (width.ZeroExtend)
                    f.Asm.xor(eax, eax);
                width.In(f.Asm);
                f.Asm.ret();
            });
        }
    }

    private static void EmitControlRegisters(NativeObject o)
    {
        o.Function("cpu_read_cr0", "Returns CR0.", f => { f.Asm.mov(rax, cr0); f.Asm.ret(); });
        o.Function("cpu_read_cr2", "Returns CR2 (the last page-fault address).", f => { f.Asm.mov(rax, cr2); f.Asm.ret(); });
        o.Function("cpu_read_cr3", "Returns CR3 (the page-table root).", f => { f.Asm.mov(rax, cr3); f.Asm.ret(); });
        o.Function("cpu_read_cr4", "Returns CR4.", f => { f.Asm.mov(rax, cr4); f.Asm.ret(); });
        o.Function("cpu_write_cr0", "CR0 = rcx.", f => { f.Asm.mov(cr0, rcx); f.Asm.ret(); });
        o.Function("cpu_write_cr3", "CR3 = rcx (switches address space, flushes non-global TLB entries).", f => { f.Asm.mov(cr3, rcx); f.Asm.ret(); });
        o.Function("cpu_write_cr4", "CR4 = rcx.", f => { f.Asm.mov(cr4, rcx); f.Asm.ret(); });
        o.Function("cpu_invlpg", "Invalidates the TLB entry for the page containing rcx.", f => { f.Asm.invlpg(__byte_ptr[rcx]); f.Asm.ret(); });
    }

    private static void EmitModelSpecificRegisters(NativeObject o)
    {
        o.Function("cpu_rdmsr", "Returns MSR[ecx] as edx:eax combined into rax.", f =>
        {
            f.Asm.rdmsr();
            f.Asm.shl(rdx, 32);
            f.Asm.or(rax, rdx);
            f.Asm.ret();
        });
        o.Function("cpu_wrmsr", "MSR[ecx] = rdx.", f =>
        {
            f.Asm.mov(eax, edx);
            f.Asm.shr(rdx, 32);
            f.Asm.wrmsr();
            f.Asm.ret();
        });
        o.Function("cpu_rdtsc", "Returns the time-stamp counter.", f =>
        {
            f.Asm.rdtsc();
            f.Asm.shl(rdx, 32);
            f.Asm.or(rax, rdx);
            f.Asm.ret();
        });
        o.Function("cpu_cpuid", "cpuid with eax = ecx (leaf), ecx = edx (subleaf); stores eax, ebx, ecx, edx at [r8].", f =>
        {
            f.Asm.push(rbx);
            f.Asm.mov(eax, ecx);
            f.Asm.mov(ecx, edx);
            f.Asm.cpuid();
            f.Asm.mov(__dword_ptr[r8], eax);
            f.Asm.mov(__dword_ptr[r8 + 4], ebx);
            f.Asm.mov(__dword_ptr[r8 + 8], ecx);
            f.Asm.mov(__dword_ptr[r8 + 12], edx);
            f.Asm.pop(rbx);
            f.Asm.ret();
        });
    }

    private static void EmitDescriptorTables(NativeObject o)
    {
        o.Function("cpu_lgdt", "Loads the GDT register from the 10-byte descriptor at [rcx].", f => { f.Asm.lgdt(__[rcx]); f.Asm.ret(); });
        o.Function("cpu_lidt", "Loads the IDT register from the 10-byte descriptor at [rcx].", f => { f.Asm.lidt(__[rcx]); f.Asm.ret(); });
        o.Function("cpu_sgdt", "Stores the GDT register at [rcx].", f => { f.Asm.sgdt(__[rcx]); f.Asm.ret(); });
        o.Function("cpu_sidt", "Stores the IDT register at [rcx].", f => { f.Asm.sidt(__[rcx]); f.Asm.ret(); });
        o.Function("cpu_ltr", "Loads the task register with selector cx.", f => { f.Asm.ltr(ecx); f.Asm.ret(); });
        o.Function("cpu_read_cs", "Returns the CS selector.", f => { f.Asm.xor(eax, eax); f.Asm.mov(ax, cs); f.Asm.ret(); });
        o.Function("cpu_read_ss", "Returns the SS selector.", f => { f.Asm.xor(eax, eax); f.Asm.mov(ax, ss); f.Asm.ret(); });

        // CS can only change through a far transfer: push the new selector and a return address, then retfq.
        o.Function("cpu_reload_segments", "CS = cx (via far return), SS/DS/ES = dx, FS/GS = 0.", f =>
        {
            Label reloaded = f.Asm.CreateLabel();
            f.Asm.movzx(rcx, cx);
            f.Asm.push(rcx);
            f.Asm.lea(rax, __[reloaded]);
            f.Asm.push(rax);
            f.Asm.db(0x48, 0xCB); // retfq: 64-bit far return (pops RIP, then CS)
            f.Asm.Label(ref reloaded);
            f.Asm.mov(ss, dx);
            f.Asm.mov(ds, dx);
            f.Asm.mov(es, dx);
            f.Asm.xor(eax, eax);
            f.Asm.mov(fs, ax);
            f.Asm.mov(gs, ax);
            f.Asm.ret();
        });
    }

    private static void EmitInterruptControl(NativeObject o)
    {
        o.Function("cpu_cli", "Disables maskable interrupts.", f => { f.Asm.cli(); f.Asm.ret(); });
        o.Function("cpu_sti", "Enables maskable interrupts.", f => { f.Asm.sti(); f.Asm.ret(); });
        o.Function("cpu_hlt", "Halts until the next interrupt.", f => { f.Asm.hlt(); f.Asm.ret(); });
        // sti takes effect after the next instruction, so no interrupt can slip in between: no lost wake-up.
        o.Function("cpu_sti_hlt", "Enables interrupts and halts atomically (the idle loop's wait).", f => { f.Asm.sti(); f.Asm.hlt(); f.Asm.ret(); });
        o.Function("cpu_read_rflags", "Returns RFLAGS.", f => { f.Asm.pushfq(); f.Asm.pop(rax); f.Asm.ret(); });
        o.Function("cpu_save_flags_cli", "Returns RFLAGS, then disables interrupts (for nesting-safe critical sections).", f =>
        {
            f.Asm.pushfq();
            f.Asm.pop(rax);
            f.Asm.cli();
            f.Asm.ret();
        });
        o.Function("cpu_restore_flags", "Restores the interrupt flag from a value returned by cpu_save_flags_cli (in rcx).", f =>
        {
            f.Asm.push(rcx);
            f.Asm.popfq();
            f.Asm.ret();
        });
        o.Function("cpu_int3", "Executes a breakpoint (int3).", f => { f.Asm.int3(); f.Asm.ret(); });
    }

    private static void EmitMisc(NativeObject o)
    {
        o.Function("cpu_pause", "Spin-wait hint.", f => { f.Asm.pause(); f.Asm.ret(); });

        o.Function("cpu_read_rsp", "Returns the caller's stack pointer (rsp after return).", f =>
        {
            f.Asm.lea(rax, __[rsp + 8]);
            f.Asm.ret();
        });

        o.Function("cpu_read_rbp", "Returns rbp.", f => { f.Asm.mov(rax, rbp); f.Asm.ret(); });

        // The loader's last instruction sequence: new address space, new stack, call the kernel.
        // Microsoft x64 ABI at entry: rsp = 8 (mod 16) with 32 bytes of shadow space above the return address.
        o.Function("cpu_enter_kernel", "CR3 = rcx, rsp = rdx (16-byte aligned top), rbp = 0, then jumps to r8 with rcx = r9. Never returns.", f =>
        {
            f.Asm.mov(cr3, rcx);
            f.Asm.mov(rsp, rdx);
            f.Asm.xor(ebp, ebp);
            f.Asm.sub(rsp, 32);
            f.Asm.push(0);
            f.Asm.mov(rcx, r9);
            f.Asm.jmp(r8);
        });

        o.Function("cpu_enter_kernel_address", "Returns the address of cpu_enter_kernel (the loader identity-maps its page).", f =>
        {
            f.LoadAddress(rax, "cpu_enter_kernel");
            f.Asm.ret();
        });

        o.Function("cpu_call_on_stack", "Switches rsp to rdx (16-byte aligned top) and calls rcx with rcx = r8. Never returns.", f =>
        {
            Label halt = f.Asm.CreateLabel();
            f.Asm.mov(rax, rcx);
            f.Asm.mov(rsp, rdx);
            f.Asm.xor(ebp, ebp);
            f.Asm.sub(rsp, 32);
            f.Asm.mov(rcx, r8);
            f.Asm.call(rax);
            f.Asm.Label(ref halt);
            f.Asm.cli();
            f.Asm.hlt();
            f.Asm.jmp(halt);
        });
    }
}
