// The loader's view of the machine-code helpers in native.obj.
using System.Runtime.InteropServices;

namespace Efi.Arch;

internal static unsafe class Cpu
{
    private const uint EferMsr = 0xC000_0080;
    private const ulong EferNoExecuteEnable = 1UL << 11;
    private const ulong Cr0WriteProtect = 1UL << 16;

    [DllImport("*", EntryPoint = "cpu_rdtsc"), SuppressGCTransition]
    public static extern ulong ReadTimeStampCounter();

    [DllImport("*", EntryPoint = "cpu_outb"), SuppressGCTransition]
    public static extern void OutByte(ushort port, byte value);

    [DllImport("*", EntryPoint = "cpu_inb"), SuppressGCTransition]
    public static extern byte InByte(ushort port);

    [DllImport("*", EntryPoint = "cpu_rdmsr"), SuppressGCTransition]
    private static extern ulong ReadMsr(uint msr);

    [DllImport("*", EntryPoint = "cpu_wrmsr"), SuppressGCTransition]
    private static extern void WriteMsr(uint msr, ulong value);

    [DllImport("*", EntryPoint = "cpu_read_cr0"), SuppressGCTransition]
    private static extern ulong ReadCr0();

    [DllImport("*", EntryPoint = "cpu_write_cr0"), SuppressGCTransition]
    private static extern void WriteCr0(ulong value);

    [DllImport("*", EntryPoint = "cpu_cli"), SuppressGCTransition]
    public static extern void DisableInterrupts();

    /// <summary>
    /// Loads CR3, switches to the kernel stack and jumps to the kernel entry with rcx = bootInfo.
    /// The caller guarantees that the page holding this function is identity-mapped in the new tables,
    /// that boot services have been exited, and that interrupts are off.
    /// </summary>
    [DllImport("*", EntryPoint = "cpu_enter_kernel"), SuppressGCTransition]
    public static extern void EnterKernel(ulong pageTableRoot, ulong stackTop, ulong entry, ulong bootInfo);

    [DllImport("*", EntryPoint = "cpu_enter_kernel_address"), SuppressGCTransition]
    public static extern ulong EnterKernelAddress();

    /// <summary>Makes the NX bit in page-table entries meaningful (EFER.NXE); without it NX entries fault as reserved.</summary>
    public static void EnableNoExecute() => WriteMsr(EferMsr, ReadMsr(EferMsr) | EferNoExecuteEnable);

    /// <summary>Makes read-only pages read-only for the kernel too (CR0.WP).</summary>
    public static void EnableWriteProtect() => WriteCr0(ReadCr0() | Cr0WriteProtect);
}
