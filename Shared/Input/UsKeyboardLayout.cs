// The US QWERTY layout: the character a key types given the modifiers.
//   letters    Shift XOR CapsLock selects upper case
//   others     Shift alone selects the upper symbol ('1' -> '!')
//   Ctrl       letters become control characters (Ctrl+C = 0x03), as on a terminal
//   keypad     digits and '.' only with NumLock on; operators and Enter always
// Keys that type nothing (modifiers, arrows, F-keys...) give '\0'. Another
// layout would be another class like this one.
namespace Shared.Input;

public static class UsKeyboardLayout
{
    public static char Translate(KeyCode key, KeyModifiers modifiers)
    {
        bool shift = (modifiers & KeyModifiers.Shift) != 0;
        bool control = (modifiers & KeyModifiers.Control) != 0;
        if (IsLetter(key))
        {
            char lower = Letter(key);
            if (control)
                return (char)(lower - 'a' + 1);
            bool upper = shift != ((modifiers & KeyModifiers.CapsLock) != 0);
            return upper ? (char)(lower - 'a' + 'A') : lower;
        }

        if (IsKeypad(key))
            return Keypad(key, (modifiers & KeyModifiers.NumLock) != 0);

        char c = shift ? Shifted(key) : Unshifted(key);
        return control && c == '[' ? '\x1b' : c;
    }

    private static bool IsLetter(KeyCode key) => Letter(key) != '\0';

    private static char Letter(KeyCode key) => key switch
    {
        KeyCode.A => 'a', KeyCode.B => 'b', KeyCode.C => 'c', KeyCode.D => 'd', KeyCode.E => 'e', KeyCode.F => 'f',
        KeyCode.G => 'g', KeyCode.H => 'h', KeyCode.I => 'i', KeyCode.J => 'j', KeyCode.K => 'k', KeyCode.L => 'l',
        KeyCode.M => 'm', KeyCode.N => 'n', KeyCode.O => 'o', KeyCode.P => 'p', KeyCode.Q => 'q', KeyCode.R => 'r',
        KeyCode.S => 's', KeyCode.T => 't', KeyCode.U => 'u', KeyCode.V => 'v', KeyCode.W => 'w', KeyCode.X => 'x',
        KeyCode.Y => 'y', KeyCode.Z => 'z',
        _ => '\0',
    };

    private static char Unshifted(KeyCode key) => key switch
    {
        >= KeyCode.D1 and <= KeyCode.D9 => (char)('1' + (key - KeyCode.D1)),
        KeyCode.D0 => '0',
        KeyCode.Minus => '-',
        KeyCode.Equals => '=',
        KeyCode.LeftBracket => '[',
        KeyCode.RightBracket => ']',
        KeyCode.Semicolon => ';',
        KeyCode.Apostrophe => '\'',
        KeyCode.Grave => '`',
        KeyCode.Backslash => '\\',
        KeyCode.NonUsBackslash => '\\',
        KeyCode.Comma => ',',
        KeyCode.Period => '.',
        KeyCode.Slash => '/',
        _ => Control(key),
    };

    private static char Shifted(KeyCode key) => key switch
    {
        KeyCode.D1 => '!', KeyCode.D2 => '@', KeyCode.D3 => '#', KeyCode.D4 => '$', KeyCode.D5 => '%',
        KeyCode.D6 => '^', KeyCode.D7 => '&', KeyCode.D8 => '*', KeyCode.D9 => '(', KeyCode.D0 => ')',
        KeyCode.Minus => '_',
        KeyCode.Equals => '+',
        KeyCode.LeftBracket => '{',
        KeyCode.RightBracket => '}',
        KeyCode.Semicolon => ':',
        KeyCode.Apostrophe => '"',
        KeyCode.Grave => '~',
        KeyCode.Backslash => '|',
        KeyCode.NonUsBackslash => '|',
        KeyCode.Comma => '<',
        KeyCode.Period => '>',
        KeyCode.Slash => '?',
        _ => Control(key),
    };

    // Keys that type the same control character with or without Shift.
    private static char Control(KeyCode key) => key switch
    {
        KeyCode.Enter => '\n',
        KeyCode.Tab => '\t',
        KeyCode.Backspace => '\b',
        KeyCode.Escape => '\x1b',
        KeyCode.Space => ' ',
        _ => '\0',
    };

    private static bool IsKeypad(KeyCode key) => key >= KeyCode.Keypad0 && key <= KeyCode.KeypadEnter;

    private static char Keypad(KeyCode key, bool numLock) => key switch
    {
        >= KeyCode.Keypad0 and <= KeyCode.Keypad9 => numLock ? (char)('0' + (key - KeyCode.Keypad0)) : '\0',
        KeyCode.KeypadPeriod => numLock ? '.' : '\0',
        KeyCode.KeypadPlus => '+',
        KeyCode.KeypadMinus => '-',
        KeyCode.KeypadMultiply => '*',
        KeyCode.KeypadDivide => '/',
        _ => '\n', // KeypadEnter
    };
}
