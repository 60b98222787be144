// Turns the byte stream of a PS/2 keyboard in scan code set 1 into key
// events, tracking modifiers and lock keys. Feed it every byte the i8042
// delivers, in order; it returns an event when a byte completes one.
//
// The multi-byte sequences are handled so that no byte can leave the decoder
// out of step:
//   E0 xx            extended key (arrows, Home, right Ctrl...), release E0 (xx|80)
//   E0 2A / E0 AA    "fake shifts" the keyboard wraps around extended keys
//   E0 36 / E0 B6    when Shift or NumLock is on: ignored
//   E0 2A E0 37      PrintScreen (with its fake shift), release E0 B7 E0 AA
//   E1 1D 45 E1 9D C5  Pause: two E1 pairs, press then release, sent at once
// Controller replies that can appear in the stream (0x00 and 0xFF errors,
// 0xFA acknowledge, 0xFE resend, 0xEE echo) produce nothing.
namespace Shared.Input;

public sealed class ScancodeDecoder
{
    private State _state;
    private byte _pauseFirst;
    private KeyModifiers _lockKeysDown;

    /// <summary>A decoder with no keys held and NumLock on (the usual power-on state of a PC).</summary>
    public ScancodeDecoder(bool numLock = true)
    {
        if (numLock)
            Modifiers = KeyModifiers.NumLock;
    }

    private enum State : byte
    {
        Normal,
        AfterE0,
        AfterE1,
        AfterE1First,
    }

    public KeyModifiers Modifiers { get; private set; }

    /// <summary>Consumes one byte; true with an event when the byte completes a key press or release.</summary>
    public bool TryDecode(byte code, out KeyEvent keyEvent)
    {
        keyEvent = default;
        switch (_state)
        {
            case State.AfterE0:
                _state = State.Normal;
                return TryExtended(code, out keyEvent);
            case State.AfterE1:
                _pauseFirst = code;
                _state = State.AfterE1First;
                return false;
            case State.AfterE1First:
                _state = State.Normal;
                return TryPause(_pauseFirst, code, out keyEvent);
        }

        if (code == ScancodeSet1.ExtendedPrefix)
        {
            _state = State.AfterE0;
            return false;
        }

        if (code == ScancodeSet1.PausePrefix)
        {
            _state = State.AfterE1;
            return false;
        }

        if (IsControllerReply(code))
            return false;
        bool pressed = (code & ScancodeSet1.ReleaseBit) == 0;
        return Emit(ScancodeSet1.Base((byte)(code & ~ScancodeSet1.ReleaseBit)), pressed, out keyEvent);
    }

    /// <summary>Forgets held keys and any half-received sequence (after a keyboard reset); lock states stay.</summary>
    public void Reset()
    {
        _state = State.Normal;
        _lockKeysDown = KeyModifiers.None;
        Modifiers &= KeyModifiers.CapsLock | KeyModifiers.NumLock | KeyModifiers.ScrollLock;
    }

    private bool TryExtended(byte code, out KeyEvent keyEvent)
    {
        byte make = (byte)(code & ~ScancodeSet1.ReleaseBit);
        if (make == ScancodeSet1.FakeLeftShift || make == ScancodeSet1.FakeRightShift)
        {
            keyEvent = default;
            return false;
        }

        return Emit(ScancodeSet1.Extended(make), (code & ScancodeSet1.ReleaseBit) == 0, out keyEvent);
    }

    // The halves of Pause: 1D 45 (press) and 9D C5 (release). Anything else after E1 is dropped whole.
    private bool TryPause(byte first, byte second, out KeyEvent keyEvent)
    {
        keyEvent = default;
        if (first == 0x1D && second == 0x45)
            return Emit(KeyCode.Pause, pressed: true, out keyEvent);
        if (first == 0x9D && second == 0xC5)
            return Emit(KeyCode.Pause, pressed: false, out keyEvent);
        return false;
    }

    private bool Emit(KeyCode key, bool pressed, out KeyEvent keyEvent)
    {
        if (key == KeyCode.Unknown)
        {
            keyEvent = default;
            return false;
        }

        UpdateModifiers(key, pressed);
        char character = pressed ? UsKeyboardLayout.Translate(key, Modifiers) : '\0';
        keyEvent = new KeyEvent(key, character, Modifiers, pressed);
        return true;
    }

    private void UpdateModifiers(KeyCode key, bool pressed)
    {
        KeyModifiers held = key switch
        {
            KeyCode.LeftShift => KeyModifiers.LeftShift,
            KeyCode.RightShift => KeyModifiers.RightShift,
            KeyCode.LeftControl => KeyModifiers.LeftControl,
            KeyCode.RightControl => KeyModifiers.RightControl,
            KeyCode.LeftAlt => KeyModifiers.LeftAlt,
            KeyCode.RightAlt => KeyModifiers.RightAlt,
            KeyCode.LeftGui => KeyModifiers.LeftGui,
            KeyCode.RightGui => KeyModifiers.RightGui,
            _ => KeyModifiers.None,
        };
        if (held != KeyModifiers.None)
        {
            Modifiers = pressed ? Modifiers | held : Modifiers & ~held;
            return;
        }

        // A lock key toggles when it goes down, not on the auto-repeated presses while it is held.
        KeyModifiers lockKey = key switch
        {
            KeyCode.CapsLock => KeyModifiers.CapsLock,
            KeyCode.NumLock => KeyModifiers.NumLock,
            KeyCode.ScrollLock => KeyModifiers.ScrollLock,
            _ => KeyModifiers.None,
        };
        if (lockKey == KeyModifiers.None)
            return;
        if (pressed && (_lockKeysDown & lockKey) == 0)
            Modifiers ^= lockKey;
        _lockKeysDown = pressed ? _lockKeysDown | lockKey : _lockKeysDown & ~lockKey;
    }

    private static bool IsControllerReply(byte code) => code is 0x00 or 0xFF or 0xFA or 0xFE or 0xEE;
}
