// Scan code set 1 (the IBM PC/XT set, which the i8042 produces from any
// keyboard when translation is on): which key each make code means. A key's
// release code is its make code with bit 7 set. Keys added with the AT
// enhanced keyboard are sent with an 0xE0 prefix byte; Pause alone uses 0xE1.
namespace Shared.Input;

public static class ScancodeSet1
{
    public const byte ExtendedPrefix = 0xE0;
    public const byte PausePrefix = 0xE1;
    public const byte ReleaseBit = 0x80;

    /// <summary>Make codes of the extended shift keys the keyboard sends around other extended keys (they are not real presses).</summary>
    public const byte FakeLeftShift = 0x2A;
    public const byte FakeRightShift = 0x36;

    /// <summary>The key a one-byte make code (0x01-0x7F) names.</summary>
    public static KeyCode Base(byte code) => code switch
    {
        0x01 => KeyCode.Escape,
        >= 0x02 and <= 0x0B => (KeyCode)((int)KeyCode.D1 + code - 0x02),
        0x0C => KeyCode.Minus,
        0x0D => KeyCode.Equals,
        0x0E => KeyCode.Backspace,
        0x0F => KeyCode.Tab,
        >= 0x10 and <= 0x19 => TopRow(code - 0x10),
        0x1A => KeyCode.LeftBracket,
        0x1B => KeyCode.RightBracket,
        0x1C => KeyCode.Enter,
        0x1D => KeyCode.LeftControl,
        >= 0x1E and <= 0x26 => HomeRow(code - 0x1E),
        0x27 => KeyCode.Semicolon,
        0x28 => KeyCode.Apostrophe,
        0x29 => KeyCode.Grave,
        0x2A => KeyCode.LeftShift,
        0x2B => KeyCode.Backslash,
        >= 0x2C and <= 0x32 => BottomRow(code - 0x2C),
        0x33 => KeyCode.Comma,
        0x34 => KeyCode.Period,
        0x35 => KeyCode.Slash,
        0x36 => KeyCode.RightShift,
        0x37 => KeyCode.KeypadMultiply,
        0x38 => KeyCode.LeftAlt,
        0x39 => KeyCode.Space,
        0x3A => KeyCode.CapsLock,
        >= 0x3B and <= 0x44 => (KeyCode)((int)KeyCode.F1 + code - 0x3B),
        0x45 => KeyCode.NumLock,
        0x46 => KeyCode.ScrollLock,
        0x47 => KeyCode.Keypad7,
        0x48 => KeyCode.Keypad8,
        0x49 => KeyCode.Keypad9,
        0x4A => KeyCode.KeypadMinus,
        0x4B => KeyCode.Keypad4,
        0x4C => KeyCode.Keypad5,
        0x4D => KeyCode.Keypad6,
        0x4E => KeyCode.KeypadPlus,
        0x4F => KeyCode.Keypad1,
        0x50 => KeyCode.Keypad2,
        0x51 => KeyCode.Keypad3,
        0x52 => KeyCode.Keypad0,
        0x53 => KeyCode.KeypadPeriod,
        0x54 => KeyCode.SysRq,
        0x56 => KeyCode.NonUsBackslash,
        0x57 => KeyCode.F11,
        0x58 => KeyCode.F12,
        _ => KeyCode.Unknown,
    };

    /// <summary>The key an 0xE0-prefixed make code names.</summary>
    public static KeyCode Extended(byte code) => code switch
    {
        0x1C => KeyCode.KeypadEnter,
        0x1D => KeyCode.RightControl,
        0x35 => KeyCode.KeypadDivide,
        0x37 => KeyCode.PrintScreen,
        0x38 => KeyCode.RightAlt,
        0x46 => KeyCode.Pause, // Ctrl + Pause (Break)
        0x47 => KeyCode.Home,
        0x48 => KeyCode.ArrowUp,
        0x49 => KeyCode.PageUp,
        0x4B => KeyCode.ArrowLeft,
        0x4D => KeyCode.ArrowRight,
        0x4F => KeyCode.End,
        0x50 => KeyCode.ArrowDown,
        0x51 => KeyCode.PageDown,
        0x52 => KeyCode.Insert,
        0x53 => KeyCode.Delete,
        0x5B => KeyCode.LeftGui,
        0x5C => KeyCode.RightGui,
        0x5D => KeyCode.Menu,
        _ => KeyCode.Unknown,
    };

    private static KeyCode TopRow(int index) => index switch
    {
        0 => KeyCode.Q, 1 => KeyCode.W, 2 => KeyCode.E, 3 => KeyCode.R, 4 => KeyCode.T,
        5 => KeyCode.Y, 6 => KeyCode.U, 7 => KeyCode.I, 8 => KeyCode.O, _ => KeyCode.P,
    };

    private static KeyCode HomeRow(int index) => index switch
    {
        0 => KeyCode.A, 1 => KeyCode.S, 2 => KeyCode.D, 3 => KeyCode.F, 4 => KeyCode.G,
        5 => KeyCode.H, 6 => KeyCode.J, 7 => KeyCode.K, _ => KeyCode.L,
    };

    private static KeyCode BottomRow(int index) => index switch
    {
        0 => KeyCode.Z, 1 => KeyCode.X, 2 => KeyCode.C, 3 => KeyCode.V, 4 => KeyCode.B, 5 => KeyCode.N, _ => KeyCode.M,
    };
}
