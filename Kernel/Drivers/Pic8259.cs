// The two cascaded 8259A programmable interrupt controllers of the PC/AT.
// This kernel takes interrupts through the APICs instead, but the PICs are
// still there (MADT flag PCAT_COMPAT), and the kernel cannot know how the
// firmware left them: a BIOS puts IRQ0-7 on vectors 0x08-0x0F (the CPU's
// exception vectors), OVMF/EDK II on 0x68-0x6F and 0x70-0x77, other firmware
// elsewhere. So they are reinitialized with their vectors moved to 0x20-0x2F
// and then every line is masked. Masked PICs can still deliver a spurious
// IRQ7 or IRQ15; that is why they get vectors of their own rather than none.
using Kernel.Arch;

namespace Kernel.Drivers;

public static class Pic8259
{
    public const byte MasterVectorBase = 0x20;
    public const byte SlaveVectorBase = 0x28;

    private static readonly Port8 s_masterCommand = new(0x20);
    private static readonly Port8 s_masterData = new(0x21);
    private static readonly Port8 s_slaveCommand = new(0xA0);
    private static readonly Port8 s_slaveData = new(0xA1);

    // Port 0x80 is the POST diagnostic port: writing it takes about a microsecond and does nothing else,
    // which gives the (old) PICs time between initialization words.
    private static readonly Port8 s_ioDelay = new(0x80);

    private const byte Icw1Init = 0x10;
    private const byte Icw1NeedsIcw4 = 0x01;
    private const byte Icw4Mode8086 = 0x01;
    private const byte OcwEndOfInterrupt = 0x20;
    private const byte Ocw3ReadIrr = 0x0A;
    private const byte Ocw3ReadIsr = 0x0B;

    /// <summary>Reinitializes both PICs with vectors 0x20-0x2F and masks all 16 lines.</summary>
    public static void RemapAndMaskAll()
    {
        using InterruptGuard guard = Cpu.DisableInterruptsScoped();
        Write(s_masterCommand, Icw1Init | Icw1NeedsIcw4);  // ICW1: start initialization, ICW4 follows
        Write(s_slaveCommand, Icw1Init | Icw1NeedsIcw4);
        Write(s_masterData, MasterVectorBase);             // ICW2: vector base
        Write(s_slaveData, SlaveVectorBase);
        Write(s_masterData, 1 << 2);                       // ICW3: the slave hangs on the master's IRQ2
        Write(s_slaveData, 2);                             // ICW3: the slave's cascade identity
        Write(s_masterData, Icw4Mode8086);                 // ICW4: 8086 mode, normal EOI
        Write(s_slaveData, Icw4Mode8086);
        Write(s_masterData, 0xFF);                         // OCW1: mask everything
        Write(s_slaveData, 0xFF);
    }

    /// <summary>The interrupt mask registers, master in the low byte, slave in the high byte (a set bit = masked).</summary>
    public static ushort Masks => (ushort)(s_masterData.Read() | (s_slaveData.Read() << 8));

    /// <summary>Lines that are requesting an interrupt (IRR), master in the low byte.</summary>
    public static ushort Requests => ReadRegister(Ocw3ReadIrr);

    /// <summary>Interrupts the PICs delivered and still wait for an EOI (ISR), master in the low byte.</summary>
    public static ushort InService => ReadRegister(Ocw3ReadIsr);

    /// <summary>
    /// Whether an interrupt on IRQ7 or IRQ15 is spurious (its ISR bit is clear). A spurious IRQ15 still needs an EOI
    /// sent to the master, which did see the cascade line fire.
    /// </summary>
    public static bool IsSpurious(int irq) => (InService & (1 << irq)) == 0;

    /// <summary>
    /// Acknowledges IRQ <paramref name="irq"/> (0-15): IRQs of the slave need an EOI on both PICs, those of the
    /// master on the master only.
    /// </summary>
    public static void EndOfInterrupt(int irq)
    {
        if (irq >= 8)
            WriteWithoutDelay(s_slaveCommand, OcwEndOfInterrupt);
        WriteWithoutDelay(s_masterCommand, OcwEndOfInterrupt);
    }

    private static ushort ReadRegister(byte ocw3)
    {
        WriteWithoutDelay(s_masterCommand, ocw3);
        WriteWithoutDelay(s_slaveCommand, ocw3);
        return (ushort)(s_masterCommand.Read() | (s_slaveCommand.Read() << 8));
    }

    private static void Write(Port8 port, byte value)
    {
        WriteWithoutDelay(port, value);
        WriteWithoutDelay(s_ioDelay, 0);
    }

    // The PICs (and port 0x80, the POST-code port used as a delay) route interrupts and move no
    // memory: writing them cannot break memory safety.
    private static void WriteWithoutDelay(Port8 port, byte value)
    {
        unsafe
        {
            port.Write(value);
        }
    }
}
