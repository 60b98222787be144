// One local vector table entry: how a local interrupt source (timer, LINT0,
// LINT1, error...) is delivered - vector, delivery mode, mask, and for the
// timer its mode. A value type over the 32-bit register.
namespace Kernel.Interrupts.Apic;

public enum DeliveryMode : uint
{
    Fixed = 0b000,
    Smi = 0b010,
    Nmi = 0b100,
    Init = 0b101,

    /// <summary>The interrupt comes from an external 8259 (virtual-wire mode; what firmware leaves on LINT0).</summary>
    ExtInt = 0b111,
}

public enum TimerMode : uint
{
    OneShot = 0b00,
    Periodic = 0b01,
    TscDeadline = 0b10,
}

public readonly struct LvtEntry
{
    private const uint VectorMask = 0xFF;
    private const int DeliveryModeShift = 8;
    private const uint DeliveryStatusBit = 1u << 12;
    private const uint ActiveLowBit = 1u << 13;
    private const uint LevelTriggeredBit = 1u << 15;
    private const uint MaskedBit = 1u << 16;
    private const int TimerModeShift = 17;

    public LvtEntry(uint raw) => Raw = raw;

    public uint Raw { get; }

    public byte Vector => (byte)(Raw & VectorMask);

    public DeliveryMode DeliveryMode => (DeliveryMode)((Raw >> DeliveryModeShift) & 0b111);

    /// <summary>Set while an interrupt is sent but not yet accepted.</summary>
    public bool DeliveryPending => (Raw & DeliveryStatusBit) != 0;

    public bool ActiveLow => (Raw & ActiveLowBit) != 0;

    public bool LevelTriggered => (Raw & LevelTriggeredBit) != 0;

    public bool Masked => (Raw & MaskedBit) != 0;

    public TimerMode TimerMode => (TimerMode)((Raw >> TimerModeShift) & 0b11);

    public static LvtEntry MaskedEntry => new(MaskedBit);

    public static LvtEntry Fixed(byte vector, bool masked) => new(vector | (masked ? MaskedBit : 0));

    public static LvtEntry Timer(byte vector, TimerMode mode, bool masked) => new(Fixed(vector, masked).Raw | ((uint)mode << TimerModeShift));

    /// <summary>A LINT entry delivering NMI. The vector is ignored, and NMI is always edge triggered (SDM 11.5.1).</summary>
    public static LvtEntry Nmi(bool activeLow) => new(((uint)DeliveryMode.Nmi << DeliveryModeShift) | (activeLow ? ActiveLowBit : 0));

    public LvtEntry WithMasked(bool masked) => new(masked ? Raw | MaskedBit : Raw & ~MaskedBit);
}
