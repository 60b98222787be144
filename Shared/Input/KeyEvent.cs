// One key going down (or repeating) or coming up, decoded: which key, the
// character it types under the current modifiers ('\0' when none), and the
// modifier state after the event.
namespace Shared.Input;

public readonly struct KeyEvent
{
    public KeyEvent(KeyCode key, char character, KeyModifiers modifiers, bool isPressed)
    {
        Key = key;
        Character = character;
        Modifiers = modifiers;
        IsPressed = isPressed;
    }

    public KeyCode Key { get; }

    /// <summary>The character typed ('\n' for Enter, '\b' for Backspace, control characters with Ctrl), '\0' for none and for releases.</summary>
    public char Character { get; }

    public KeyModifiers Modifiers { get; }

    /// <summary>True for a press or an auto-repeat, false for a release.</summary>
    public bool IsPressed { get; }

    public bool HasCharacter => Character != '\0';

    public bool Shift => (Modifiers & KeyModifiers.Shift) != 0;

    public bool Control => (Modifiers & KeyModifiers.Control) != 0;

    public bool Alt => (Modifiers & KeyModifiers.Alt) != 0;

    public override string ToString()
        => (IsPressed ? "down " : "up ") + Key.ToString() + (HasCharacter ? " '" + Character.ToString() + "'" : "");
}
