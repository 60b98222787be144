// The local APIC registers the kernel uses, by their xAPIC MMIO offset
// (Intel SDM vol. 3, table 11-1). In x2APIC mode the same register is MSR
// 0x800 + offset / 16 (table 11-6).
namespace Kernel.Interrupts.Apic;

public enum LocalApicRegister : uint
{
    Id = 0x020,
    Version = 0x030,
    TaskPriority = 0x080,
    EndOfInterrupt = 0x0B0,
    SpuriousInterruptVector = 0x0F0,

    /// <summary>In-service register, 8 x 32 bits at 0x100-0x170 (one bit per vector).</summary>
    InService0 = 0x100,

    /// <summary>Interrupt request register, 8 x 32 bits at 0x200-0x270.</summary>
    InterruptRequest0 = 0x200,
    ErrorStatus = 0x280,
    LvtTimer = 0x320,
    LvtThermal = 0x330,
    LvtPerformance = 0x340,
    LvtLint0 = 0x350,
    LvtLint1 = 0x360,
    LvtError = 0x370,
    TimerInitialCount = 0x380,
    TimerCurrentCount = 0x390,
    TimerDivideConfiguration = 0x3E0,
}
