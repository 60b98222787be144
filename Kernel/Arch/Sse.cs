// SSE, which compiled C# cannot run without. ILCompiler targets x86-64 with
// SSE2 as its baseline: float and double arithmetic is SSE2 (there is no x87
// code), and copying or zeroing a struct uses 16-byte XMM moves. Those
// instructions raise #UD unless CR4.OSFXSR says the OS saves XMM state, and an
// unmasked SIMD floating-point error raises #UD instead of #XM (vector 19)
// unless CR4.OSXMMEXCPT is set.
//
// The kernel's first C# instructions already need SSE, so at entry it works
// only because the loader's environment had it on (UEFI hands an x64 image
// SSE enabled, and OVMF sets both bits). Enable makes that an explicit,
// checked contract instead of something inherited: it sets the bits the SDM
// (Vol. 3, 13.1.3) asks an OS to set, reads them back, and says whether the
// firmware had already set them. A processor started by the kernel itself
// (an application processor comes up with CR4 = 0) must do the same in
// machine code before it runs any C#.
using Kernel.Diagnostics;

namespace Kernel.Arch;

public static class Sse
{
    private const uint CpuidFxsr = 1u << 24;
    private const uint CpuidSse = 1u << 25;
    private const uint CpuidSse2 = 1u << 26;

    /// <summary>The CR4 bits an OS sets to use SSE: it saves XMM state (fxsave) and handles #XM.</summary>
    public const Cr4Flags RequiredCr4 = Cr4Flags.OsFxsr | Cr4Flags.OsXmmExceptions;

    /// <summary>
    /// Sets CR4.OSFXSR and CR4.OSXMMEXCPT, clears CR0.EM and CR0.TS and sets CR0.MP (SDM Vol. 3, 13.1.3), then
    /// checks that all of it took effect; panics if the CPU lacks FXSR, SSE or SSE2. Returns the boot-log status.
    /// </summary>
    public static string Enable()
    {
        uint features = Cpu.Cpuid(1).Edx;
        if ((features & CpuidFxsr) == 0 || (features & CpuidSse) == 0 || (features & CpuidSse2) == 0)
            Panic.Fail("the CPU does not report FXSR, SSE and SSE2 (CPUID.1:EDX bits 24-26); compiled C# needs them");

        bool firmwareHadThem = (ControlRegisters.Cr4 & RequiredCr4) == RequiredCr4;
        ControlRegisters.Cr0 = (ControlRegisters.Cr0 & ~(Cr0Flags.Emulation | Cr0Flags.TaskSwitched)) | Cr0Flags.MonitorCoprocessor;
        ControlRegisters.Cr4 |= RequiredCr4;

        if (!IsEnabled)
            Panic.Fail("CR4.OSFXSR/OSXMMEXCPT or CR0.MP/EM/TS did not take the values just written");
        return firmwareHadThem ? "ok, CR4.OSFXSR and CR4.OSXMMEXCPT set (the firmware had set them too)" : "ok, CR4.OSFXSR and CR4.OSXMMEXCPT set (the firmware had not)";
    }

    /// <summary>Whether CR4 and CR0 are in the state <see cref="Enable"/> establishes.</summary>
    public static bool IsEnabled
        => (ControlRegisters.Cr4 & RequiredCr4) == RequiredCr4
        && (ControlRegisters.Cr0 & (Cr0Flags.Emulation | Cr0Flags.TaskSwitched | Cr0Flags.MonitorCoprocessor)) == Cr0Flags.MonitorCoprocessor;
}
