// The i8042's configuration byte ("command byte"), read with command 0x20 and
// written with 0x60.
namespace Kernel.Drivers;

public readonly struct Ps2Config
{
    private const byte Port1InterruptBit = 1 << 0;
    private const byte Port2InterruptBit = 1 << 1;
    private const byte SystemFlagBit = 1 << 2;
    private const byte Port1ClockDisabledBit = 1 << 4;
    private const byte Port2ClockDisabledBit = 1 << 5;
    private const byte TranslationBit = 1 << 6;

    public Ps2Config(byte raw) => Raw = raw;

    public byte Raw { get; }

    public bool Port1Interrupt => (Raw & Port1InterruptBit) != 0;

    public bool Port2Interrupt => (Raw & Port2InterruptBit) != 0;

    /// <summary>Set by firmware after a successful power-on self-test.</summary>
    public bool SystemFlag => (Raw & SystemFlagBit) != 0;

    public bool Port1ClockEnabled => (Raw & Port1ClockDisabledBit) == 0;

    public bool Port2ClockEnabled => (Raw & Port2ClockDisabledBit) == 0;

    /// <summary>The controller translates the keyboard's scan code set 2 into set 1.</summary>
    public bool Translation => (Raw & TranslationBit) != 0;

    public Ps2Config WithPort1Interrupt(bool on) => With(Port1InterruptBit, on);

    public Ps2Config WithPort2Interrupt(bool on) => With(Port2InterruptBit, on);

    public Ps2Config WithPort1Clock(bool on) => With(Port1ClockDisabledBit, !on);

    public Ps2Config WithTranslation(bool on) => With(TranslationBit, on);

    private Ps2Config With(byte bit, bool set) => new(set ? (byte)(Raw | bit) : (byte)(Raw & ~bit));
}
