// Where input that arrived by interrupt becomes key presses. The keyboard
// and COM1 handlers only push raw bytes into their SPSC rings
// (Drivers/Ps2Keyboard, Input/SerialInput); Pump, called from task context
// (the executor's input task, or a reader waiting in ConsoleInput), is the one consumer
// of both rings: it runs the scancode decoder, maps key events to key presses
// for ConsoleInput, feeds serial bytes to the terminal decoder, and warns -
// at most once a second per queue - when a full queue dropped input.
//
// Pump must never run in an interrupt handler and never on two CPUs at once:
// each ring has exactly one consumer, and the decoders keep state.
using Kernel.Diagnostics;
using Kernel.Drivers;
using Kernel.Time;
using Shared.Collections;
using Shared.Console;
using Shared.Input;

namespace Kernel.Input;

public static unsafe class InputPump
{
    private const ulong DropWarningIntervalMs = 1000;

    private static readonly ScancodeDecoder s_decoder = new();
    private static DropReporter s_scancodeDrops = new(DropWarningIntervalMs);
    private static DropReporter s_serialDrops = new(DropWarningIntervalMs);
    private static DropReporter s_keyDrops = new(DropWarningIntervalMs);
    private static delegate*<KeyEvent, void> s_observer;

    /// <summary>Key events decoded since boot (presses and releases).</summary>
    public static ulong KeyEvents { get; private set; }

    /// <summary>The last drop warning written (null before the first), for tests and diagnostics.</summary>
    public static string LastWarning { get; private set; }

    /// <summary>The keyboard's modifier and lock state as the decoder sees it.</summary>
    public static KeyModifiers Modifiers => s_decoder.Modifiers;

    /// <summary>Whether an interrupt handler has queued bytes that Pump has not taken yet.</summary>
    public static bool HasWork => !Ps2Keyboard.Scancodes.IsEmpty || !SerialInput.Received.IsEmpty;

    /// <summary>
    /// Sets a function that sees every decoded key event (presses and releases, before they become key presses);
    /// null removes it. Used by the keyboard trace (Drivers/KeyboardEcho).
    /// </summary>
    public static void Observe(delegate*<KeyEvent, void> observer) => s_observer = observer;

    /// <summary>
    /// Decodes what the interrupt handlers queued, while the console input queue has room: bytes stay in their
    /// rings until the reader has taken keys (a reader pumps again as it reads), so a burst is kept up to the
    /// rings' size plus the key queue's rather than the key queue's alone. Returns how many bytes were taken.
    /// </summary>
    public static int Pump()
    {
        int taken = 0;
        while (HasRoomForKeys() && Ps2Keyboard.Scancodes.TryPop(out byte code))
        {
            taken++;
            if (s_decoder.TryDecode(code, out KeyEvent keyEvent))
                Deliver(keyEvent);
        }

        while (HasRoomForKeys() && SerialInput.Received.TryPop(out byte value))
        {
            taken++;
            SerialInput.Decode(value);
        }

        ReportDrops();
        return taken;
    }

    // One byte decodes to at most two key presses (a terminal escape the decoder gives up on).
    private static bool HasRoomForKeys() => ConsoleInput.Queue.Count <= ConsoleInput.Queue.Capacity - 2;

    private static void Deliver(KeyEvent keyEvent)
    {
        KeyEvents++;
        if (s_observer != null)
            s_observer(keyEvent);
        if (KeyPressMapping.TryMap(keyEvent, out KeyPress press))
            ConsoleInput.Submit(press);
    }

    private static void ReportDrops()
    {
        ulong now = SystemTimer.UptimeMilliseconds;
        if (s_scancodeDrops.ShouldWarn(Ps2Keyboard.Scancodes.DroppedCount, now, out uint scancodes))
            Warn("scancode queue full; dropping keyboard input (" + scancodes.ToString() + " scancodes lost)");
        if (s_serialDrops.ShouldWarn(SerialInput.Received.DroppedCount, now, out uint bytes))
            Warn("serial input queue full; dropping received bytes (" + bytes.ToString() + " bytes lost)");
        if (s_keyDrops.ShouldWarn((uint)ConsoleInput.Queue.Dropped, now, out uint keys))
            Warn("console input queue full; dropping key presses (" + keys.ToString() + " keys lost)");
    }

    private static void Warn(string message)
    {
        LastWarning = message;
        KernelLog.WriteLine("[input] warning: " + message);
    }
}
