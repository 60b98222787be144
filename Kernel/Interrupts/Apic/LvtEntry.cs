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
    private const uint MaskedBit = InterruptEntryBits.Masked;
    private const int TimerModeShift = 17;

    public LvtEntry(uint raw) => Raw = raw;

    public uint Raw { get; }

    public byte Vector => InterruptEntryBits.Vector(Raw);

    public DeliveryMode DeliveryMode => InterruptEntryBits.DeliveryMode(Raw);

    /// <summary>Set while an interrupt is sent but not yet accepted.</summary>
    public bool DeliveryPending => InterruptEntryBits.IsSet(Raw, InterruptEntryBits.DeliveryPending);

    public bool ActiveLow => InterruptEntryBits.IsSet(Raw, InterruptEntryBits.ActiveLow);

    public bool LevelTriggered => InterruptEntryBits.IsSet(Raw, InterruptEntryBits.LevelTriggered);

    public bool Masked => InterruptEntryBits.IsSet(Raw, MaskedBit);

    public TimerMode TimerMode => (TimerMode)((Raw >> TimerModeShift) & 0b11);

    public static LvtEntry MaskedEntry => new(MaskedBit);

    public static LvtEntry Fixed(byte vector, bool masked) => new(InterruptEntryBits.Encode(vector, DeliveryMode.Fixed, activeLow: false, levelTriggered: false, masked));

    public static LvtEntry Timer(byte vector, TimerMode mode, bool masked) => new(Fixed(vector, masked).Raw | ((uint)mode << TimerModeShift));

    /// <summary>A LINT entry delivering NMI. The vector is ignored, and NMI is always edge triggered (SDM 11.5.1).</summary>
    public static LvtEntry Nmi(bool activeLow) => new(InterruptEntryBits.Encode(0, DeliveryMode.Nmi, activeLow, levelTriggered: false, masked: false));

    public LvtEntry WithMasked(bool masked) => new(masked ? Raw | MaskedBit : Raw & ~MaskedBit);
}
