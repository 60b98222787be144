// Bindings to the machine-code helpers in native.obj (tools/AsmGen). Only the
// typed wrappers in Kernel/Arch call these; everything else uses the wrappers.
using System.Runtime.InteropServices;

namespace Kernel.Arch;

internal static unsafe class Native
{
    [DllImport("*", EntryPoint = "cpu_outb"), SuppressGCTransition] public static extern void OutByte(ushort port, byte value);
    [DllImport("*", EntryPoint = "cpu_outw"), SuppressGCTransition] public static extern void OutWord(ushort port, ushort value);
    [DllImport("*", EntryPoint = "cpu_outd"), SuppressGCTransition] public static extern void OutDword(ushort port, uint value);
    [DllImport("*", EntryPoint = "cpu_inb"), SuppressGCTransition] public static extern byte InByte(ushort port);
    [DllImport("*", EntryPoint = "cpu_inw"), SuppressGCTransition] public static extern ushort InWord(ushort port);
    [DllImport("*", EntryPoint = "cpu_ind"), SuppressGCTransition] public static extern uint InDword(ushort port);

    [DllImport("*", EntryPoint = "cpu_read_cr0"), SuppressGCTransition] public static extern ulong ReadCr0();
    [DllImport("*", EntryPoint = "cpu_read_cr2"), SuppressGCTransition] public static extern ulong ReadCr2();
    [DllImport("*", EntryPoint = "cpu_read_cr3"), SuppressGCTransition] public static extern ulong ReadCr3();
    [DllImport("*", EntryPoint = "cpu_read_cr4"), SuppressGCTransition] public static extern ulong ReadCr4();
    [DllImport("*", EntryPoint = "cpu_write_cr0"), SuppressGCTransition] public static extern void WriteCr0(ulong value);
    [DllImport("*", EntryPoint = "cpu_write_cr3"), SuppressGCTransition] public static extern void WriteCr3(ulong value);
    [DllImport("*", EntryPoint = "cpu_write_cr4"), SuppressGCTransition] public static extern void WriteCr4(ulong value);
    [DllImport("*", EntryPoint = "cpu_invlpg"), SuppressGCTransition] public static extern void InvalidatePage(ulong address);

    [DllImport("*", EntryPoint = "cpu_rdmsr"), SuppressGCTransition] public static extern ulong ReadMsr(uint msr);
    [DllImport("*", EntryPoint = "cpu_wrmsr"), SuppressGCTransition] public static extern void WriteMsr(uint msr, ulong value);
    [DllImport("*", EntryPoint = "cpu_rdtsc"), SuppressGCTransition] public static extern ulong ReadTsc();
    [DllImport("*", EntryPoint = "cpu_cpuid"), SuppressGCTransition] public static extern void Cpuid(uint leaf, uint subleaf, CpuidResult* result);

    [DllImport("*", EntryPoint = "cpu_lgdt"), SuppressGCTransition] public static extern void LoadGdt(void* descriptor);
    [DllImport("*", EntryPoint = "cpu_lidt"), SuppressGCTransition] public static extern void LoadIdt(void* descriptor);
    [DllImport("*", EntryPoint = "cpu_sgdt"), SuppressGCTransition] public static extern void StoreGdt(void* descriptor);
    [DllImport("*", EntryPoint = "cpu_sidt"), SuppressGCTransition] public static extern void StoreIdt(void* descriptor);
    [DllImport("*", EntryPoint = "cpu_ltr"), SuppressGCTransition] public static extern void LoadTaskRegister(ushort selector);
    [DllImport("*", EntryPoint = "cpu_read_cs"), SuppressGCTransition] public static extern ushort ReadCs();
    [DllImport("*", EntryPoint = "cpu_read_ss"), SuppressGCTransition] public static extern ushort ReadSs();
    [DllImport("*", EntryPoint = "cpu_reload_segments"), SuppressGCTransition] public static extern void ReloadSegments(ushort code, ushort data);

    [DllImport("*", EntryPoint = "cpu_cli"), SuppressGCTransition] public static extern void DisableInterrupts();
    [DllImport("*", EntryPoint = "cpu_sti"), SuppressGCTransition] public static extern void EnableInterrupts();
    [DllImport("*", EntryPoint = "cpu_hlt"), SuppressGCTransition] public static extern void Halt();
    [DllImport("*", EntryPoint = "cpu_sti_hlt"), SuppressGCTransition] public static extern void EnableInterruptsAndHalt();
    [DllImport("*", EntryPoint = "cpu_read_rflags"), SuppressGCTransition] public static extern ulong ReadRflags();
    [DllImport("*", EntryPoint = "cpu_save_flags_cli"), SuppressGCTransition] public static extern ulong SaveFlagsAndDisableInterrupts();
    [DllImport("*", EntryPoint = "cpu_restore_flags"), SuppressGCTransition] public static extern void RestoreFlags(ulong flags);
    [DllImport("*", EntryPoint = "cpu_int3"), SuppressGCTransition] public static extern void Breakpoint();
    [DllImport("*", EntryPoint = "cpu_pause"), SuppressGCTransition] public static extern void Pause();
    [DllImport("*", EntryPoint = "cpu_read_rsp"), SuppressGCTransition] public static extern ulong ReadRsp();
    [DllImport("*", EntryPoint = "cpu_read_rbp"), SuppressGCTransition] public static extern ulong ReadRbp();
    [DllImport("*", EntryPoint = "rt_halt_forever"), SuppressGCTransition] public static extern void HaltForever();

    [DllImport("*", EntryPoint = "rt_early_heap"), SuppressGCTransition] public static extern byte* EarlyHeap();
    [DllImport("*", EntryPoint = "rt_early_heap_size"), SuppressGCTransition] public static extern uint EarlyHeapSize();
}

public struct CpuidResult
{
    public uint Eax;
    public uint Ebx;
    public uint Ecx;
    public uint Edx;
}
