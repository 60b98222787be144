// The shell's line editor as pure logic (host-tested): key presses in, the
// edited line and the text that redraws it out. Redrawing uses only what
// both the framebuffer console and a serial terminal understand: printable
// characters, '\b' (cursor one left, nothing erased) and spaces. Moving the
// cursor right reprints the character under it; an edit in the middle
// reprints the tail and backs up over it.
//
//   printable   insert at the cursor        Backspace   delete left of it
//   Left/Right  move the cursor             Up/Down     walk the history
//   Enter       submit the line             Ctrl-C      drop the line
//
// Lines longer than the screen is wide wrap, and '\b' cannot go back across
// a wrap: editing such a line redraws wrongly (docs/shell.md).
using System;
using System.Collections.Generic;
using Shared.Console;

namespace Shared.Shell;

public enum LineEditResult
{
    Editing,
    Submitted,
    Canceled,
}

public sealed class LineEditor
{
    public const int MaxLength = 200;
    public const int HistoryCapacity = 32;

    private readonly char[] _line = new char[MaxLength];
    private readonly List<string> _history = new();
    private int _length;
    private int _cursor;
    private int _historyIndex; // == _history.Count: the line being typed, not a history entry

    public int Length => _length;

    public int Cursor => _cursor;

    public int HistoryCount => _history.Count;

    public string Text => new string(_line, 0, _length);

    /// <summary>Starts an empty line (after a submit or cancel).</summary>
    public void Reset()
    {
        _length = 0;
        _cursor = 0;
        _historyIndex = _history.Count;
    }

    /// <summary>
    /// Applies <paramref name="key"/>; <paramref name="echo"/> receives the text that updates the display. On
    /// Submitted, Text is the line (added to the history when not blank and not a repeat of the last entry).
    /// </summary>
    public LineEditResult Feed(KeyPress key, EchoText echo)
    {
        if (!key.IsCharacter)
        {
            switch (key.Key)
            {
                case SpecialKey.Left:
                    if (_cursor > 0)
                    {
                        _cursor--;
                        echo.Append('\b');
                    }

                    break;
                case SpecialKey.Right:
                    if (_cursor < _length)
                        echo.Append(_line[_cursor++]);
                    break;
                case SpecialKey.Home:
                    while (_cursor > 0)
                    {
                        _cursor--;
                        echo.Append('\b');
                    }

                    break;
                case SpecialKey.End:
                    while (_cursor < _length)
                        echo.Append(_line[_cursor++]);
                    break;
                case SpecialKey.Delete:
                    if (_cursor < _length)
                        DeleteAt(_cursor, echo);
                    break;
                case SpecialKey.Up:
                    if (_historyIndex > 0)
                        Recall(_historyIndex - 1, echo);
                    break;
                case SpecialKey.Down:
                    if (_historyIndex < _history.Count)
                        Recall(_historyIndex + 1, echo);
                    break;
            }

            return LineEditResult.Editing;
        }

        char c = key.Character;
        switch (c)
        {
            case '\n':
            case '\r':
                echo.Append('\n');
                Remember();
                return LineEditResult.Submitted;
            case '\x03': // Ctrl-C
                echo.Append("^C\n");
                return LineEditResult.Canceled;
            case '\b':
            case '\x7f':
                if (_cursor > 0)
                {
                    _cursor--;
                    echo.Append('\b');
                    DeleteAt(_cursor, echo);
                }

                return LineEditResult.Editing;
        }

        if (c < ' ' || _length == MaxLength)
            return LineEditResult.Editing; // other control characters, or a full line: ignored
        Insert(c, echo);
        return LineEditResult.Editing;
    }

    private void Insert(char c, EchoText echo)
    {
        for (int i = _length; i > _cursor; i--)
            _line[i] = _line[i - 1];
        _line[_cursor] = c;
        _length++;
        echo.Append(_line, _cursor, _length - _cursor);
        _cursor++;
        Back(echo, _length - _cursor);
    }

    // Removes the character at 'index' (the cursor is there), redraws the tail and blanks the last cell.
    private void DeleteAt(int index, EchoText echo)
    {
        for (int i = index; i < _length - 1; i++)
            _line[i] = _line[i + 1];
        _length--;
        echo.Append(_line, index, _length - index);
        echo.Append(' ');
        Back(echo, _length - index + 1);
    }

    // Replaces the whole line with a history entry (or the empty line past the newest).
    private void Recall(int index, EchoText echo)
    {
        Back(echo, _cursor);
        int oldLength = _length;
        string text = index < _history.Count ? _history[index] : "";
        _historyIndex = index;
        _length = Math.Min(text.Length, MaxLength);
        for (int i = 0; i < _length; i++)
            _line[i] = text[i];
        echo.Append(_line, 0, _length);
        int blanks = oldLength - _length;
        for (int i = 0; i < blanks; i++)
            echo.Append(' ');
        Back(echo, Math.Max(blanks, 0));
        _cursor = _length;
    }

    private void Remember()
    {
        string text = Text;
        if (text.Trim().Length != 0 && (_history.Count == 0 || _history[_history.Count - 1] != text))
        {
            if (_history.Count == HistoryCapacity)
                _history.RemoveAt(0);
            _history.Add(text);
        }

        _historyIndex = _history.Count;
    }

    private static void Back(EchoText echo, int count)
    {
        for (int i = 0; i < count; i++)
            echo.Append('\b');
    }
}

/// <summary>The redraw text the editor produces for one key (reused between keys: no allocation per key).</summary>
public sealed class EchoText
{
    private char[] _chars = new char[64];
    private int _length;

    public int Length => _length;

    public ReadOnlySpan<char> AsSpan() => new(_chars, 0, _length);

    public void Clear() => _length = 0;

    public void Append(char c)
    {
        if (_length == _chars.Length)
            Array.Resize(ref _chars, _chars.Length * 2);
        _chars[_length++] = c;
    }

    public void Append(string text)
    {
        foreach (char c in text)
            Append(c);
    }

    public void Append(char[] chars, int start, int count)
    {
        for (int i = 0; i < count; i++)
            Append(chars[start + i]);
    }

    public override string ToString() => new string(_chars, 0, _length);
}
