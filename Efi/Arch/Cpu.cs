// The loader's view of the machine-code helpers in native.obj: port I/O for
// its serial output, the feature checks and control-register bits the kernel's
// first address space depends on, and the jump.
using System.Runtime.InteropServices;

namespace Efi.Arch;

internal static unsafe class Cpu
{
    private const uint EferMsr = 0xC000_0080;
    private const ulong EferNoExecuteEnable = 1UL << 11;
    private const ulong Cr0WriteProtect = 1UL << 16;
    private const uint PatMsr = 0x277;
    private const ulong PatWriteCombining = 0x01;

    [StructLayout(LayoutKind.Sequential)]
    private struct CpuidResult
    {
        public uint Eax;
        public uint Ebx;
        public uint Ecx;
        public uint Edx;
    }

    [DllImport("*", EntryPoint = "cpu_cpuid"), SuppressGCTransition]
    private static extern void Cpuid(uint leaf, uint subleaf, CpuidResult* result);

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
    /// Loads CR3, switches to the kernel stack and jumps to the kernel entry with rcx = bootInfo, rbp = 0 and
    /// rsp = stackTop - 40 (32 bytes of shadow space and a zero return address below a 16-byte-aligned top: the
    /// state a Microsoft x64 function expects on entry). The caller guarantees that the page(s) holding this
    /// function are identity-mapped in the new tables, that stackTop is 16-byte aligned and mapped, that boot
    /// services have been exited, and that interrupts are off.
    /// </summary>
    [DllImport("*", EntryPoint = "cpu_enter_kernel"), SuppressGCTransition]
    public static extern void EnterKernel(ulong pageTableRoot, ulong stackTop, ulong entry, ulong bootInfo);

    [DllImport("*", EntryPoint = "cpu_enter_kernel_address"), SuppressGCTransition]
    public static extern ulong EnterKernelAddress();

    /// <summary>An upper bound on cpu_enter_kernel's size (20 bytes today; artifacts/obj/native-loader.txt lists it).</summary>
    public const ulong EnterKernelMaxBytes = 64;

    /// <summary>CPUID 0x80000001 EDX bit 26: 1 GiB pages. QEMU's default CPU models do not all have it.</summary>
    public static bool SupportsGigabytePages => (ExtendedFeatures(0x8000_0001).Edx & (1u << 26)) != 0;

    /// <summary>CPUID 1 EDX bit 16: the page attribute table (IA32_PAT), needed for write-combining mappings.</summary>
    public static bool SupportsPat
    {
        get
        {
            CpuidResult result;
            Cpuid(1, 0, &result);
            return (result.Edx & (1u << 16)) != 0;
        }
    }

    /// <summary>
    /// Makes PAT entry 1 (selected by PWT alone) write-combining; the other seven keep their power-on types. The
    /// caller calls it only when SupportsPat, after ExitBootServices and right before switching to the kernel's
    /// tables, and touches no memory in between that the firmware's tables map with PWT: the framebuffer mapping
    /// in the kernel's tables is then the only user of entry 1.
    /// </summary>
    public static void SetPatEntry1WriteCombining()
    {
        ulong pat = ReadMsr(PatMsr);
        WriteMsr(PatMsr, (pat & ~(0x07UL << 8)) | (PatWriteCombining << 8));
    }

    private static CpuidResult ExtendedFeatures(uint leaf)
    {
        CpuidResult result;
        Cpuid(0x8000_0000, 0, &result);
        if (result.Eax < leaf)
            return default;
        Cpuid(leaf, 0, &result);
        return result;
    }

    /// <summary>Makes the NX bit in page-table entries meaningful (EFER.NXE); without it NX entries fault as reserved.</summary>
    public static void EnableNoExecute() => WriteMsr(EferMsr, ReadMsr(EferMsr) | EferNoExecuteEnable);

    /// <summary>Makes read-only pages read-only for the kernel too (CR0.WP).</summary>
    public static void EnableWriteProtect() => WriteCr0(ReadCr0() | Cr0WriteProtect);
}
