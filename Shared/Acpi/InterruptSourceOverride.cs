// An interrupt source override (MADT type 2): ISA IRQ Source arrives at
// global system interrupt Gsi, with the given polarity and trigger mode.
// Without one, ISA IRQ n is GSI n, edge triggered, active high. Typical PC
// firmware overrides IRQ0 (the PIT) to GSI 2 and marks the ACPI SCI level
// triggered, active low.
namespace Shared.Acpi;

public readonly struct InterruptSourceOverride
{
    public InterruptSourceOverride(byte bus, byte source, uint gsi, InterruptFlags flags)
    {
        Bus = bus;
        Source = source;
        Gsi = gsi;
        Flags = flags;
    }

    /// <summary>0 = ISA, the only bus the specification defines.</summary>
    public byte Bus { get; }

    /// <summary>The ISA IRQ number.</summary>
    public byte Source { get; }

    public uint Gsi { get; }

    public InterruptFlags Flags { get; }
}
