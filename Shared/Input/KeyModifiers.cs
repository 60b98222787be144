// Which modifier keys are held and which lock keys are on, as the decoder
// tracks them. Left and right keys are kept apart; Shift/Control/Alt ask
// for either.
using System;

namespace Shared.Input;

[Flags]
public enum KeyModifiers : ushort
{
    None = 0,
    LeftShift = 1 << 0,
    RightShift = 1 << 1,
    LeftControl = 1 << 2,
    RightControl = 1 << 3,
    LeftAlt = 1 << 4,
    RightAlt = 1 << 5,
    LeftGui = 1 << 6,
    RightGui = 1 << 7,
    CapsLock = 1 << 8,
    NumLock = 1 << 9,
    ScrollLock = 1 << 10,

    Shift = LeftShift | RightShift,
    Control = LeftControl | RightControl,
    Alt = LeftAlt | RightAlt,
}
