// The interrupt vectors of the APIC world. 0x00-0x1F are the CPU's
// exceptions. The masked 8259s sit at 0x20-0x2F so that their spurious IRQ7
// and IRQ15 (0x27, 0x2F) cannot be mistaken for anything. ISA IRQs routed
// through the I/O APIC get 0x30 + IRQ. Local APIC sources are at the top,
// where the APIC's priority classes (vector / 16) rank them highest; the
// spurious vector is 0xFF (its low four bits must be 1 on older CPUs).
namespace Kernel.Interrupts.Apic;

public static class IrqVectors
{
    public const byte LegacyPicBase = Drivers.Pic8259.MasterVectorBase;
    public const byte IsaBase = 0x30;
    public const byte Keyboard = IsaBase + IsaIrq.Keyboard;
    public const byte Com1 = IsaBase + IsaIrq.Com1;
    public const byte LocalApicTimer = 0xF0;
    public const byte LocalApicError = 0xFE;
    public const byte Spurious = 0xFF;

    public static byte ForIsaIrq(byte irq) => (byte)(IsaBase + irq);
}

/// <summary>The ISA IRQ numbers of the PC's fixed devices.</summary>
public static class IsaIrq
{
    public const byte Pit = 0;
    public const byte Keyboard = 1;
    public const byte Com1 = 4;
}
