// Physical keys of a PC keyboard, named for what they show on a US layout.
// A key code names the key, not the character: KeyCode.D1 is the key that
// types '1' or '!' (the layout decides), Keypad7 is the keypad key whether
// NumLock makes it '7' or Home.
namespace Shared.Input;

public enum KeyCode : byte
{
    Unknown = 0,
    Escape,
    D1, D2, D3, D4, D5, D6, D7, D8, D9, D0,
    Minus,
    Equals,
    Backspace,
    Tab,
    Q, W, E, R, T, Y, U, I, O, P,
    LeftBracket,
    RightBracket,
    Enter,
    LeftControl,
    A, S, D, F, G, H, J, K, L,
    Semicolon,
    Apostrophe,
    Grave,
    LeftShift,
    Backslash,
    Z, X, C, V, B, N, M,
    Comma,
    Period,
    Slash,
    RightShift,
    LeftAlt,
    Space,
    CapsLock,
    F1, F2, F3, F4, F5, F6, F7, F8, F9, F10, F11, F12,
    NumLock,
    ScrollLock,
    Keypad0, Keypad1, Keypad2, Keypad3, Keypad4, Keypad5, Keypad6, Keypad7, Keypad8, Keypad9,
    KeypadPeriod,
    KeypadPlus,
    KeypadMinus,
    KeypadMultiply,
    KeypadDivide,
    KeypadEnter,

    /// <summary>The extra key left of Z on 102-key (ISO) keyboards.</summary>
    NonUsBackslash,
    RightControl,

    /// <summary>AltGr on international layouts.</summary>
    RightAlt,
    Insert,
    Delete,
    Home,
    End,
    PageUp,
    PageDown,
    ArrowUp,
    ArrowDown,
    ArrowLeft,
    ArrowRight,
    LeftGui,
    RightGui,
    Menu,
    PrintScreen,

    /// <summary>Alt + PrintScreen sends its own code.</summary>
    SysRq,
    Pause,
}
