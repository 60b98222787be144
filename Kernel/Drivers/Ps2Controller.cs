// The i8042 PS/2 controller (ports 0x60 data, 0x64 status/command) and the
// keyboard on its first port. Initialization follows the usual sequence:
// disable both ports, flush stale bytes, turn off IRQs and translation while
// testing, controller self-test (0xAA -> 0x55), port 1 interface test
// (0xAB -> 0x00), enable port 1, ask the keyboard for scan code set 2 and
// scanning, then translation on (so the bytes arrive in set 1, which
// Shared/Input decodes) and the port 1 IRQ on. Port 2 (a mouse) stays off.
//
// Every wait is bounded (by the calibrated TSC when available, else by a
// count of status reads): a missing or dead controller costs a warning and a
// few milliseconds, never a hang. A controller that is absent reads 0xFF.
using Kernel.Arch;
using Kernel.Time;

namespace Kernel.Drivers;

public enum Ps2Status
{
    Ready,
    Absent,
    SelfTestFailed,
    PortTestFailed,
    Timeout,
    KeyboardNotResponding,
}

public static class Ps2Controller
{
    private static readonly Port8 s_data = new(0x60);
    private static readonly Port8 s_statusCommand = new(0x64);

    private const byte StatusOutputFull = 1 << 0;
    private const byte StatusInputFull = 1 << 1;
    private const byte StatusAuxData = 1 << 5;

    private const byte CommandReadConfig = 0x20;
    private const byte CommandWriteConfig = 0x60;
    private const byte CommandDisablePort2 = 0xA7;
    private const byte CommandSelfTest = 0xAA;
    private const byte CommandTestPort1 = 0xAB;
    private const byte CommandDisablePort1 = 0xAD;
    private const byte CommandEnablePort1 = 0xAE;
    private const byte CommandWriteKeyboardOutput = 0xD2;

    private const byte SelfTestPassed = 0x55;
    private const byte KeyboardAck = 0xFA;
    private const byte KeyboardSetScancodeSet = 0xF0;
    private const byte KeyboardEnableScanning = 0xF4;

    private const ulong WaitMicroseconds = 50_000;
    private const int UncalibratedWaitReads = 1_000_000;

    /// <summary>The outcome of Initialize.</summary>
    public static Ps2Status Status { get; private set; } = Ps2Status.Absent;

    public static bool IsReady => Status == Ps2Status.Ready;

    /// <summary>Sets up the controller and the keyboard; returns a boot-log description (a warning when not Ready).</summary>
    public static string Initialize()
    {
        Status = Configure(out string detail);
        return detail;
    }

    /// <summary>
    /// Keeps the keyboard's interrupt handler (Ps2Keyboard) from taking the controller's bytes until disposed, by
    /// disabling interrupts on this CPU: a reply to a command must reach the code that sent it, not the scancode
    /// queue. The single-step calls below take it themselves; wrap multi-byte exchanges (a command and the bytes
    /// read after it) in one. The IRQ1 raised meanwhile stays pending and finds the buffer empty afterwards.
    /// Holding it means no interrupts for up to one bounded wait per byte (50 ms each at worst).
    /// </summary>
    public static InterruptGuard Exclusive() => Cpu.DisableInterruptsScoped();

    /// <summary>The controller's configuration byte (bit 0 port 1 IRQ, bit 4 port 1 clock off, bit 6 translation).</summary>
    public static bool TryReadConfig(out Ps2Config config)
    {
        using InterruptGuard exclusive = Exclusive();
        config = default;
        if (!TryCommand(CommandReadConfig) || !TryReadByte(out byte value))
            return false;
        config = new Ps2Config(value);
        return true;
    }

    /// <summary>A byte from the keyboard, if one is waiting (bytes from port 2 are discarded).</summary>
    public static bool TryReadKeyboardByte(out byte value)
    {
        byte status = s_statusCommand.Read();
        value = 0;
        if (status == 0xFF || (status & StatusOutputFull) == 0)
            return false;
        value = s_data.Read();
        return (status & StatusAuxData) == 0;
    }

    /// <summary>
    /// Puts <paramref name="value"/> into the controller's output buffer as if the keyboard had sent it (command
    /// 0xD2, "write keyboard output buffer"): it is read back from the data port and raises IRQ1 like a real key.
    /// The kernel tests use it to generate keyboard interrupts. The byte is taken as it is (no set 2 to set 1
    /// translation). False when the controller does not accept the command.
    /// </summary>
    public static bool TryInjectKeyboardByte(byte value)
    {
        using InterruptGuard exclusive = Exclusive();
        return TryCommand(CommandWriteKeyboardOutput) && WaitUntilWritable() && WriteData(value);
    }

    /// <summary>Whether a byte waits in the controller's output buffer.</summary>
    public static bool OutputBufferFull => (s_statusCommand.Read() & StatusOutputFull) != 0;

    /// <summary>Sends a command byte to the keyboard and returns its first reply (0xFA acknowledge, 0xEE echo...).</summary>
    public static bool TrySendToKeyboard(byte command, out byte reply)
    {
        using InterruptGuard exclusive = Exclusive();
        reply = 0;
        return WaitUntilWritable() && WriteData(command) && TryReadByte(out reply);
    }

    private static Ps2Status Configure(out string detail)
    {
        if (s_statusCommand.Read() == 0xFF)
        {
            detail = "warning: no i8042 controller (status port reads 0xFF): no PS/2 keyboard";
            return Ps2Status.Absent;
        }

        if (!TryCommand(CommandDisablePort1) || !TryCommand(CommandDisablePort2))
            return Fail(Ps2Status.Timeout, "the controller does not accept commands", out detail);
        Flush();
        if (!TryReadConfig(out Ps2Config config))
            return Fail(Ps2Status.Timeout, "cannot read the configuration byte", out detail);
        Ps2Config quiet = config.WithPort1Interrupt(false).WithPort2Interrupt(false).WithTranslation(false);
        if (!TryWriteConfig(quiet))
            return Fail(Ps2Status.Timeout, "cannot write the configuration byte", out detail);

        if (!TryCommand(CommandSelfTest) || !TryReadByte(out byte selfTest) || selfTest != SelfTestPassed)
            return Fail(Ps2Status.SelfTestFailed, "controller self-test failed", out detail);
        TryWriteConfig(quiet); // the self-test may reset the controller on some chipsets
        if (!TryCommand(CommandTestPort1) || !TryReadByte(out byte portTest) || portTest != 0)
            return Fail(Ps2Status.PortTestFailed, "port 1 interface test failed", out detail);
        if (!TryCommand(CommandEnablePort1))
            return Fail(Ps2Status.Timeout, "cannot enable port 1", out detail);

        bool keyboard = SendToKeyboardExpectingAck(KeyboardSetScancodeSet) && SendToKeyboardExpectingAck(2) && SendToKeyboardExpectingAck(KeyboardEnableScanning);
        Ps2Config running = quiet.WithPort1Clock(true).WithTranslation(true).WithPort1Interrupt(true);
        if (!TryWriteConfig(running))
            return Fail(Ps2Status.Timeout, "cannot write the final configuration byte", out detail);
        Flush();
        if (!keyboard)
            return Fail(Ps2Status.KeyboardNotResponding, "controller ok, but no keyboard acknowledged on port 1", out detail);

        detail = "i8042 ok, keyboard on port 1, scan code set 2 translated to set 1, port 1 IRQ enabled";
        return Ps2Status.Ready;
    }

    private static Ps2Status Fail(Ps2Status status, string why, out string detail)
    {
        detail = "warning: " + why + "; no PS/2 keyboard";
        return status;
    }

    private static bool SendToKeyboardExpectingAck(byte value) => TrySendToKeyboard(value, out byte reply) && reply == KeyboardAck;

    private static bool TryWriteConfig(Ps2Config config) => TryCommand(CommandWriteConfig) && WaitUntilWritable() && WriteData(config.Raw);

    private static bool TryCommand(byte command)
    {
        if (!WaitUntilWritable())
            return false;
        // The i8042 moves no memory; its only command that reaches beyond the keyboard (pulse the
        // reset line) is one this driver never sends.
        unsafe
        {
            s_statusCommand.Write(command);
        }

        return true;
    }

    private static bool WriteData(byte value)
    {
        unsafe
        {
            s_data.Write(value);    // data for the controller or the keyboard: no memory access
        }

        return true;
    }

    private static void Flush()
    {
        for (int i = 0; i < 64 && (s_statusCommand.Read() & StatusOutputFull) != 0; i++)
            s_data.Read();
    }

    private static bool WaitUntilWritable() => WaitFor(StatusInputFull, set: false);

    /// <summary>Waits (bounded) for the next byte from the controller or a device.</summary>
    public static bool TryReadByte(out byte value)
    {
        value = 0;
        if (!WaitFor(StatusOutputFull, set: true))
            return false;
        value = s_data.Read();
        return true;
    }

    // Polls the status register until the bit has the wanted state or the wait runs out.
    private static bool WaitFor(byte bit, bool set)
    {
        bool timed = TimeStampCounter.IsCalibrated;
        ulong start = TimeStampCounter.Read();
        ulong limit = timed ? TimeStampCounter.FromMicroseconds(WaitMicroseconds) : 0;
        for (int reads = 0; ; reads++)
        {
            byte status = s_statusCommand.Read();
            if (status != 0xFF && ((status & bit) != 0) == set)
                return true;
            bool expired = timed ? TimeStampCounter.Read() - start >= limit : reads >= UncalibratedWaitReads;
            if (expired)
                return false;
            Cpu.Pause();
        }
    }
}
