// Polarity and trigger mode of an interrupt line, and the MPS INTI flags the
// MADT encodes them in (ACPI 6.5, table 5.50): bits 0-1 polarity, bits 2-3
// trigger mode, where 0 means "conforms to the bus" - for ISA, active high
// and edge triggered.
namespace Shared.Acpi;

public enum InterruptPolarity : byte
{
    ActiveHigh,
    ActiveLow,
}

public enum TriggerMode : byte
{
    Edge,
    Level,
}

public readonly struct InterruptFlags
{
    public InterruptFlags(InterruptPolarity polarity, TriggerMode trigger)
    {
        Polarity = polarity;
        Trigger = trigger;
    }

    /// <summary>How ISA interrupts behave: active high, edge triggered.</summary>
    public static InterruptFlags Isa => new(InterruptPolarity.ActiveHigh, TriggerMode.Edge);

    public InterruptPolarity Polarity { get; }

    public TriggerMode Trigger { get; }

    /// <summary>
    /// Decodes MPS INTI flags for a line on the ISA bus. The reserved encodings (binary 10) are read as the
    /// bus default, which is what the line does on every known chipset.
    /// </summary>
    public static InterruptFlags FromMpsInti(ushort flags)
    {
        InterruptPolarity polarity = (flags & 0b11) == 0b11 ? InterruptPolarity.ActiveLow : InterruptPolarity.ActiveHigh;
        TriggerMode trigger = ((flags >> 2) & 0b11) == 0b11 ? TriggerMode.Level : TriggerMode.Edge;
        return new InterruptFlags(polarity, trigger);
    }

    public override string ToString()
        => (Trigger == TriggerMode.Edge ? "edge" : "level") + "/" + (Polarity == InterruptPolarity.ActiveHigh ? "high" : "low");
}
