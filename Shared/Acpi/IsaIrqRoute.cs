// Where an ISA IRQ arrives on the I/O APICs: its global system interrupt and
// how the line behaves, after interrupt source overrides are applied.
namespace Shared.Acpi;

public readonly struct IsaIrqRoute
{
    public IsaIrqRoute(byte isaIrq, uint gsi, InterruptFlags flags, bool overridden)
    {
        IsaIrq = isaIrq;
        Gsi = gsi;
        Flags = flags;
        Overridden = overridden;
    }

    public byte IsaIrq { get; }

    public uint Gsi { get; }

    public InterruptFlags Flags { get; }

    /// <summary>True when an interrupt source override said so; false for the identity default.</summary>
    public bool Overridden { get; }

    public override string ToString()
        => "IRQ" + IsaIrq.ToString() + " -> GSI " + Gsi.ToString() + " " + Flags.ToString() + (Overridden ? " (override)" : "");
}
