// From the keyboard's key events to the console's key presses: what a
// reader of typed input wants. Releases and lone modifiers produce nothing;
// a key with a character gives that character (Enter '\n', Backspace '\b',
// Tab '\t', ctrl+letter the control character); Escape, the arrows and the
// navigation block give special keys, on the keypad too when NumLock is off
// (the layout then gives those keys no character).
using Shared.Console;

namespace Shared.Input;

public static class KeyPressMapping
{
    /// <summary>The key press <paramref name="keyEvent"/> stands for; false when it stands for none.</summary>
    public static bool TryMap(KeyEvent keyEvent, out KeyPress press)
    {
        press = default;
        if (!keyEvent.IsPressed)
            return false;
        if (keyEvent.Key == KeyCode.Escape)
        {
            press = KeyPress.FromSpecial(SpecialKey.Escape);
            return true;
        }

        if (keyEvent.HasCharacter)
        {
            press = KeyPress.FromCharacter(keyEvent.Character);
            return true;
        }

        SpecialKey special = Special(keyEvent.Key);
        if (special == SpecialKey.None)
            return false;
        press = KeyPress.FromSpecial(special);
        return true;
    }

    private static SpecialKey Special(KeyCode key) => key switch
    {
        KeyCode.ArrowUp or KeyCode.Keypad8 => SpecialKey.Up,
        KeyCode.ArrowDown or KeyCode.Keypad2 => SpecialKey.Down,
        KeyCode.ArrowLeft or KeyCode.Keypad4 => SpecialKey.Left,
        KeyCode.ArrowRight or KeyCode.Keypad6 => SpecialKey.Right,
        KeyCode.Home or KeyCode.Keypad7 => SpecialKey.Home,
        KeyCode.End or KeyCode.Keypad1 => SpecialKey.End,
        KeyCode.PageUp or KeyCode.Keypad9 => SpecialKey.PageUp,
        KeyCode.PageDown or KeyCode.Keypad3 => SpecialKey.PageDown,
        KeyCode.Insert or KeyCode.Keypad0 => SpecialKey.Insert,
        KeyCode.Delete or KeyCode.KeypadPeriod => SpecialKey.Delete,
        _ => SpecialKey.None,
    };
}
