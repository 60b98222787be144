// One key the user pressed, whatever it came from (a serial terminal, later
// the PS/2 keyboard): a character, or a key that has none (arrows, Home...).
// Enter arrives as '\n', Backspace as '\b', Tab as '\t'.
namespace Shared.Console;

public enum SpecialKey : byte
{
    None,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    Insert,
    Delete,
    PageUp,
    PageDown,
    Escape,
}

public readonly struct KeyPress
{
    private KeyPress(char character, SpecialKey key)
    {
        Character = character;
        Key = key;
    }

    /// <summary>The character typed, or '\0' for a special key.</summary>
    public char Character { get; }

    public SpecialKey Key { get; }

    public bool IsCharacter => Key == SpecialKey.None;

    public static KeyPress FromCharacter(char character) => new(character, SpecialKey.None);

    public static KeyPress FromSpecial(SpecialKey key) => new('\0', key);

    public override string ToString() => IsCharacter ? "'" + Character.ToString() + "'" : "[" + ((int)Key).ToString() + "]";
}
