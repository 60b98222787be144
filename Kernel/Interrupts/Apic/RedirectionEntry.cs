// One I/O APIC redirection table entry (82093AA datasheet, 3.2.4): where an
// input pin's interrupt goes - vector, delivery mode, destination APIC id -
// and how the pin behaves (polarity, trigger mode), plus its mask bit. A
// value type over the 64-bit entry; the chip stores it as two 32-bit
// registers.
using Shared.Acpi;

namespace Kernel.Interrupts.Apic;

public readonly struct RedirectionEntry
{
    private const ulong LogicalDestinationBit = 1UL << 11;
    private const ulong MaskedBit = InterruptEntryBits.Masked;
    private const int DestinationShift = 56;

    public RedirectionEntry(ulong raw) => Raw = raw;

    public ulong Raw { get; }

    public byte Vector => InterruptEntryBits.Vector(Low);

    public DeliveryMode DeliveryMode => InterruptEntryBits.DeliveryMode(Low);

    public bool LogicalDestination => (Raw & LogicalDestinationBit) != 0;

    public bool DeliveryPending => InterruptEntryBits.IsSet(Low, InterruptEntryBits.DeliveryPending);

    public InterruptPolarity Polarity => InterruptEntryBits.IsSet(Low, InterruptEntryBits.ActiveLow) ? InterruptPolarity.ActiveLow : InterruptPolarity.ActiveHigh;

    /// <summary>For level-triggered inputs: set from delivery until the local APIC's EOI.</summary>
    public bool RemoteIrr => InterruptEntryBits.IsSet(Low, InterruptEntryBits.RemoteIrr);

    public TriggerMode Trigger => InterruptEntryBits.IsSet(Low, InterruptEntryBits.LevelTriggered) ? TriggerMode.Level : TriggerMode.Edge;

    public bool Masked => InterruptEntryBits.IsSet(Low, InterruptEntryBits.Masked);

    /// <summary>The destination local APIC id (physical destination mode).</summary>
    public byte Destination => (byte)(Raw >> DestinationShift);

    /// <summary>Fixed delivery of <paramref name="vector"/> to one local APIC, with the pin's polarity and trigger mode.</summary>
    public static RedirectionEntry Fixed(byte vector, byte destinationApicId, InterruptFlags flags, bool masked)
        => new(InterruptEntryBits.Encode(vector, DeliveryMode.Fixed, flags.Polarity == InterruptPolarity.ActiveLow, flags.Trigger == TriggerMode.Level, masked)
            | ((ulong)destinationApicId << DestinationShift));

    public RedirectionEntry WithMasked(bool masked) => new(masked ? Raw | MaskedBit : Raw & ~MaskedBit);

    public uint Low => (uint)Raw;

    public uint High => (uint)(Raw >> 32);
}
