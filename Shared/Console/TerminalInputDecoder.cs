// Turns the bytes a serial terminal sends into key presses: UTF-8 into
// characters, CR (or CR LF) into Enter, DEL and BS into Backspace, and the
// VT100/xterm escape sequences of the cursor and editing keys (ESC [ A,
// ESC O H, ESC [ 3 ~ ...) into special keys. A lone ESC is reported as the
// Escape key once the next byte shows it starts no sequence.
using System;

namespace Shared.Console;

public struct TerminalInputDecoder
{
    private const byte EscapeByte = 0x1B;

    private State _state;
    private int _codePoint;
    private int _continuationBytes;
    private int _minimumCodePoint;
    private int _parameter;
    private bool _afterCarriageReturn;

    private enum State : byte
    {
        Ground,
        Utf8,
        Escape,
        ControlSequence,
        SingleShift, // ESC O: the cursor keys in application mode
    }

    /// <summary>
    /// Decodes one received byte. Returns how many key presses it completed (0, 1 or 2) and stores them in
    /// <paramref name="keys"/>, which must have room for two.
    /// </summary>
    public int Feed(byte value, Span<KeyPress> keys)
    {
        switch (_state)
        {
            case State.Utf8:
                return ContinueUtf8(value, keys);
            case State.Escape:
                return AfterEscape(value, keys);
            case State.ControlSequence:
                return InControlSequence(value, keys);
            case State.SingleShift:
                _state = State.Ground;
                return EmitSpecial(keys, 0, CursorKey(value));
            default:
                return Ground(value, keys, 0);
        }
    }

    private int Ground(byte value, Span<KeyPress> keys, int index)
    {
        bool afterCarriageReturn = _afterCarriageReturn;
        _afterCarriageReturn = value == '\r';
        switch (value)
        {
            case (byte)'\r':
                return Emit(keys, index, KeyPress.FromCharacter('\n'));
            case (byte)'\n':
                return afterCarriageReturn ? index : Emit(keys, index, KeyPress.FromCharacter('\n'));
            case 0x7F:
            case 0x08:
                return Emit(keys, index, KeyPress.FromCharacter('\b'));
            case EscapeByte:
                _state = State.Escape;
                return index;
        }

        if (value < 0x80)
            return Emit(keys, index, KeyPress.FromCharacter((char)value));
        return StartUtf8(value, keys, index);
    }

    private int StartUtf8(byte value, Span<KeyPress> keys, int index)
    {
        if (value >= 0xC2 && value <= 0xDF)
            return BeginSequence(value & 0x1F, 1, index);
        if (value >= 0xE0 && value <= 0xEF)
            return BeginSequence(value & 0x0F, 2, index);
        if (value >= 0xF0 && value <= 0xF4)
            return BeginSequence(value & 0x07, 3, index);
        return Emit(keys, index, KeyPress.FromCharacter('\uFFFD')); // a stray continuation byte or an invalid lead byte
    }

    private int BeginSequence(int bits, int continuationBytes, int index)
    {
        _state = State.Utf8;
        _codePoint = bits;
        _continuationBytes = continuationBytes;
        _minimumCodePoint = continuationBytes == 1 ? 0x80 : continuationBytes == 2 ? 0x800 : 0x10000;
        return index;
    }

    private int ContinueUtf8(byte value, Span<KeyPress> keys)
    {
        if ((value & 0xC0) != 0x80)
        {
            // The sequence broke off: report it as invalid and read this byte afresh.
            _state = State.Ground;
            int count = Emit(keys, 0, KeyPress.FromCharacter('\uFFFD'));
            return Ground(value, keys, count);
        }

        _codePoint = (_codePoint << 6) | (value & 0x3F);
        if (--_continuationBytes > 0)
            return 0;
        _state = State.Ground;

        // Characters outside the BMP, surrogates and overlong forms have no single char: the replacement character.
        bool valid = _codePoint <= 0xFFFF && !(_codePoint >= 0xD800 && _codePoint <= 0xDFFF) && _codePoint >= _minimumCodePoint;
        return Emit(keys, 0, KeyPress.FromCharacter(valid ? (char)_codePoint : '\uFFFD'));
    }

    private int AfterEscape(byte value, Span<KeyPress> keys)
    {
        if (value == '[')
        {
            _state = State.ControlSequence;
            _parameter = 0;
            return 0;
        }

        if (value == 'O')
        {
            _state = State.SingleShift;
            return 0;
        }

        // ESC followed by anything else: the Escape key on its own, then that byte.
        _state = State.Ground;
        int count = EmitSpecial(keys, 0, SpecialKey.Escape);
        return Ground(value, keys, count);
    }

    private int InControlSequence(byte value, Span<KeyPress> keys)
    {
        if (value >= '0' && value <= '9')
        {
            _parameter = Math.Min((_parameter * 10) + (value - '0'), 1000);
            return 0;
        }

        if (value == ';')
            return 0; // modifiers (ESC [ 1 ; 5 A) are not reported
        _state = State.Ground;
        return EmitSpecial(keys, 0, value == '~' ? EditingKey(_parameter) : CursorKey(value));
    }

    private static SpecialKey CursorKey(byte final) => final switch
    {
        (byte)'A' => SpecialKey.Up,
        (byte)'B' => SpecialKey.Down,
        (byte)'C' => SpecialKey.Right,
        (byte)'D' => SpecialKey.Left,
        (byte)'H' => SpecialKey.Home,
        (byte)'F' => SpecialKey.End,
        _ => SpecialKey.None,
    };

    // ESC [ n ~ as xterm and the Linux console send it.
    private static SpecialKey EditingKey(int code) => code switch
    {
        1 or 7 => SpecialKey.Home,
        2 => SpecialKey.Insert,
        3 => SpecialKey.Delete,
        4 or 8 => SpecialKey.End,
        5 => SpecialKey.PageUp,
        6 => SpecialKey.PageDown,
        _ => SpecialKey.None,
    };

    private static int Emit(Span<KeyPress> keys, int index, KeyPress key)
    {
        keys[index] = key;
        return index + 1;
    }

    // A sequence for a key this decoder does not know is dropped rather than reported as something else.
    private static int EmitSpecial(Span<KeyPress> keys, int index, SpecialKey key)
        => key == SpecialKey.None ? index : Emit(keys, index, KeyPress.FromSpecial(key));
}
