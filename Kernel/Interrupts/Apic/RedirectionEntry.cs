// One I/O APIC redirection table entry (82093AA datasheet, 3.2.4): where an
// input pin's interrupt goes - vector, delivery mode, destination APIC id -
// and how the pin behaves (polarity, trigger mode), plus its mask bit. A
// value type over the 64-bit entry; the chip stores it as two 32-bit
// registers.
using Shared.Acpi;

namespace Kernel.Interrupts.Apic;

public readonly struct RedirectionEntry
{
    private const ulong VectorMask = 0xFF;
    private const int DeliveryModeShift = 8;
    private const ulong LogicalDestinationBit = 1UL << 11;
    private const ulong DeliveryPendingBit = 1UL << 12;
    private const ulong ActiveLowBit = 1UL << 13;
    private const ulong RemoteIrrBit = 1UL << 14;
    private const ulong LevelTriggeredBit = 1UL << 15;
    private const ulong MaskedBit = 1UL << 16;
    private const int DestinationShift = 56;

    public RedirectionEntry(ulong raw) => Raw = raw;

    public ulong Raw { get; }

    public byte Vector => (byte)(Raw & VectorMask);

    public DeliveryMode DeliveryMode => (DeliveryMode)((Raw >> DeliveryModeShift) & 0b111);

    public bool LogicalDestination => (Raw & LogicalDestinationBit) != 0;

    public bool DeliveryPending => (Raw & DeliveryPendingBit) != 0;

    public InterruptPolarity Polarity => (Raw & ActiveLowBit) != 0 ? InterruptPolarity.ActiveLow : InterruptPolarity.ActiveHigh;

    /// <summary>For level-triggered inputs: set from delivery until the local APIC's EOI.</summary>
    public bool RemoteIrr => (Raw & RemoteIrrBit) != 0;

    public TriggerMode Trigger => (Raw & LevelTriggeredBit) != 0 ? TriggerMode.Level : TriggerMode.Edge;

    public bool Masked => (Raw & MaskedBit) != 0;

    /// <summary>The destination local APIC id (physical destination mode).</summary>
    public byte Destination => (byte)(Raw >> DestinationShift);

    /// <summary>Fixed delivery of <paramref name="vector"/> to one local APIC, with the pin's polarity and trigger mode.</summary>
    public static RedirectionEntry Fixed(byte vector, byte destinationApicId, InterruptFlags flags, bool masked)
        => new(vector
            | (flags.Polarity == InterruptPolarity.ActiveLow ? ActiveLowBit : 0)
            | (flags.Trigger == TriggerMode.Level ? LevelTriggeredBit : 0)
            | (masked ? MaskedBit : 0)
            | ((ulong)destinationApicId << DestinationShift));

    public RedirectionEntry WithMasked(bool masked) => new(masked ? Raw | MaskedBit : Raw & ~MaskedBit);

    public uint Low => (uint)Raw;

    public uint High => (uint)(Raw >> 32);
}
