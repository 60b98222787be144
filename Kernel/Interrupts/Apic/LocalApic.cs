// The boot CPU's local APIC: the interrupt controller inside each core. It
// takes interrupts from the I/O APIC and its own sources (timer, LINT0/1,
// errors), hands them to the core by priority, and needs an end-of-interrupt
// write for each one delivered.
//
// Two ways to reach it, chosen once at start-up and hidden behind the same
// calls: xAPIC, registers in a 4 KiB MMIO page (base from the IA32_APIC_BASE
// MSR, normally 0xFEE00000); x2APIC, registers as MSRs 0x800+, used when
// CPUID offers it (or the firmware already switched to it, which cannot be
// undone without a reset).
//
// Bring-up (Initialize): software-enable through the spurious-interrupt
// vector register, accept every priority (TPR = 0), mask the timer, LINT0,
// error, thermal and performance entries, program LINT1 as NMI as the MADT
// says, clear the error status. Interrupts stay off here: InterruptControllers.
// EnableDelivery unmasks the error entry and SystemTimer starts the tick once
// their handlers exist.
using Kernel.Arch;
using Kernel.Diagnostics;
using Shared.Acpi;
using Shared.Memory;

namespace Kernel.Interrupts.Apic;

public static class LocalApic
{
    private const ulong ApicBaseEnable = 1UL << 11;
    private const ulong ApicBaseX2Apic = 1UL << 10;
    private const ulong ApicBaseBootstrap = 1UL << 8;
    private const ulong ApicBaseAddressMask = 0x000F_FFFF_FFFF_F000;
    private const uint X2ApicMsrBase = 0x800;
    private const uint SoftwareEnable = 1u << 8;
    private const uint CpuidX2ApicBit = 1u << 21;

    private static MmioRegion s_registers;
    private static bool s_x2Apic;
    private static TimerDivide s_divide = TimerDivide.By16;

    public static bool IsInitialized { get; private set; }

    /// <summary>True when the registers are MSRs (x2APIC mode), false for MMIO (xAPIC).</summary>
    public static bool IsX2Apic => s_x2Apic;

    /// <summary>Physical address of the MMIO registers (meaningful in xAPIC mode).</summary>
    public static ulong PhysicalBase { get; private set; }

    /// <summary>The timer's count rate after the divider, in Hz; 0 until calibrated (Time/ClockCalibration).</summary>
    public static ulong TimerFrequencyHz { get; private set; }

    public static TimerDivide Divide => s_divide;

    public static void Initialize(InterruptTopology topology)
    {
        ulong apicBase = Msr.ApicBase.Read();
        if ((apicBase & ApicBaseBootstrap) == 0)
            Panic.Fail("LocalApic.Initialize must run on the bootstrap processor");

        PhysicalBase = apicBase & ApicBaseAddressMask;
        if (PhysicalBase != topology.LocalApicAddress)
            KernelLog.WriteLine("[boot] local APIC: warning: the MADT says 0x" + topology.LocalApicAddress.ToString("X") + ", IA32_APIC_BASE says 0x" + PhysicalBase.ToString("X") + "; using the MSR");

        s_x2Apic = (apicBase & ApicBaseX2Apic) != 0 || (Cpu.Cpuid(1).Ecx & CpuidX2ApicBit) != 0;
        apicBase |= ApicBaseEnable | (s_x2Apic ? ApicBaseX2Apic : 0);
        Msr.ApicBase.Write(apicBase);
        if (!s_x2Apic)
            s_registers = MmioRegion.Map(new PhysicalAddress(PhysicalBase), 0x1000);

        Write(LocalApicRegister.TaskPriority, 0);
        WriteLvt(LocalApicRegister.LvtTimer, LvtEntry.MaskedEntry);
        WriteLvt(LocalApicRegister.LvtLint0, LvtEntry.MaskedEntry);
        WriteLvt(LocalApicRegister.LvtError, LvtEntry.Fixed(IrqVectors.LocalApicError, masked: true));
        if (MaxLvtEntry >= 4)
            WriteLvt(LocalApicRegister.LvtPerformance, LvtEntry.MaskedEntry);
        if (MaxLvtEntry >= 5)
            WriteLvt(LocalApicRegister.LvtThermal, LvtEntry.MaskedEntry);
        ProgramNmi(topology);
        Write(LocalApicRegister.SpuriousInterruptVector, SoftwareEnable | IrqVectors.Spurious);
        ReadErrorStatus();
        IsInitialized = true;
    }

    public static uint Id => s_x2Apic ? Read(LocalApicRegister.Id) : Read(LocalApicRegister.Id) >> 24;

    /// <summary>0x10-0x15 for an integrated APIC (every x86-64 CPU).</summary>
    public static byte Version => (byte)Read(LocalApicRegister.Version);

    /// <summary>Index of the last LVT entry (number of LVT entries - 1).</summary>
    public static int MaxLvtEntry => (int)((Read(LocalApicRegister.Version) >> 16) & 0xFF);

    public static bool IsSoftwareEnabled => (Read(LocalApicRegister.SpuriousInterruptVector) & SoftwareEnable) != 0;

    public static byte SpuriousVector => (byte)Read(LocalApicRegister.SpuriousInterruptVector);

    /// <summary>Signals the end of the interrupt being handled, so lower-priority ones can be delivered.</summary>
    public static void Eoi() => Write(LocalApicRegister.EndOfInterrupt, 0);

    /// <summary>
    /// Reads and clears the error status register (the write before the read latches the current errors;
    /// x2APIC requires the written value to be 0).
    /// </summary>
    public static uint ReadErrorStatus()
    {
        Write(LocalApicRegister.ErrorStatus, 0);
        return Read(LocalApicRegister.ErrorStatus);
    }

    public static LvtEntry ReadLvt(LocalApicRegister entry) => new(Read(entry));

    public static void WriteLvt(LocalApicRegister entry, LvtEntry value) => Write(entry, value.Raw);

    /// <summary>Whether <paramref name="vector"/> is requested (IRR) and not yet delivered.</summary>
    public static bool IsRequested(byte vector) => (Read(LocalApicRegister.InterruptRequest0 + (uint)(vector / 32 * 0x10)) & (1u << (vector % 32))) != 0;

    // ---------------------------------------------------------------- timer

    /// <summary>Starts the timer counting down from <paramref name="initialCount"/> in the given mode (a count of 0 stops it).</summary>
    public static void StartTimer(TimerMode mode, byte vector, uint initialCount, TimerDivide divide, bool masked)
    {
        s_divide = divide;
        Write(LocalApicRegister.TimerDivideConfiguration, (uint)divide);
        WriteLvt(LocalApicRegister.LvtTimer, LvtEntry.Timer(vector, mode, masked));
        Write(LocalApicRegister.TimerInitialCount, initialCount);
    }

    /// <summary>
    /// Starts the timer interrupting <paramref name="hz"/> times a second on <paramref name="vector"/>. Needs the
    /// calibrated frequency; the handler must call Eoi().
    /// </summary>
    public static void StartPeriodicTimer(byte vector, uint hz) => StartPeriodicTimer(vector, hz, masked: false);

    /// <summary>As StartPeriodicTimer, optionally with the LVT entry masked: the count still reloads, but nothing is delivered.</summary>
    public static void StartPeriodicTimer(byte vector, uint hz, bool masked)
    {
        if (TimerFrequencyHz == 0)
            Panic.Fail("LocalApic.StartPeriodicTimer before the timer was calibrated");
        if (hz == 0 || TimerFrequencyHz / hz == 0 || TimerFrequencyHz / hz > uint.MaxValue)
            Panic.Fail("LocalApic.StartPeriodicTimer: " + hz.ToString() + " Hz is out of range for a " + TimerFrequencyHz.ToString() + " Hz timer");
        StartTimer(TimerMode.Periodic, vector, (uint)(TimerFrequencyHz / hz), s_divide, masked);
    }

    public static void StopTimer()
    {
        Write(LocalApicRegister.TimerInitialCount, 0);
        WriteLvt(LocalApicRegister.LvtTimer, LvtEntry.MaskedEntry);
    }

    public static uint TimerCurrentCount => Read(LocalApicRegister.TimerCurrentCount);

    public static uint TimerInitialCount => Read(LocalApicRegister.TimerInitialCount);

    /// <summary>Records the calibrated count rate for the current divider (called by ClockCalibration).</summary>
    public static void SetTimerFrequency(ulong hz) => TimerFrequencyHz = hz;

    // ---------------------------------------------------------------- register access

    public static uint Read(LocalApicRegister register)
        => s_x2Apic ? (uint)new Msr(X2ApicMsrBase + ((uint)register >> 4)).Read() : s_registers.Read32((uint)register);

    public static void Write(LocalApicRegister register, uint value)
    {
        if (s_x2Apic)
            new Msr(X2ApicMsrBase + ((uint)register >> 4)).Write(value);
        else
            s_registers.Write32((uint)register, value);
    }

    /// <summary>The MMIO register window (xAPIC mode only; unmapped in x2APIC mode).</summary>
    public static MmioRegion Registers => s_registers;

    // LINT1 is NMI on PCs; the MADT says which input and how it is wired, per ACPI processor UID (found by
    // our APIC id; an entry for all processors applies when the id is not listed).
    private static void ProgramNmi(InterruptTopology topology)
    {
        uint uid = topology.TryFindProcessor(Id, out ProcessorApic processor) ? processor.ProcessorUid : LocalApicNmi.AllProcessors;
        if (!topology.TryFindLocalApicNmi(uid, out LocalApicNmi nmi))
            return;
        LocalApicRegister lint = nmi.Lint == 0 ? LocalApicRegister.LvtLint0 : LocalApicRegister.LvtLint1;
        WriteLvt(lint, LvtEntry.Nmi(nmi.Flags.Polarity == InterruptPolarity.ActiveLow));
    }
}
