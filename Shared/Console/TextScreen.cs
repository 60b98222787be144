// A text terminal drawn into pixels: a grid of character cells with a
// cursor, colors and a subset of ANSI escapes, rendered by a GlyphRenderer.
// This is the blog's VGA text buffer, rebuilt on a framebuffer: writing text
// moves the cursor, wraps at the last column and scrolls at the bottom.
//
// Characters:  printable ones are drawn (a replacement glyph when the font
//              has none); \n starts a new line (column 0, like a terminal
//              with output post-processing); \r goes to column 0; \t moves
//              to the next multiple of 8; \b moves back one column (the
//              shell erases with "\b \b"); other controls are ignored.
// Wrapping:    writing the last column leaves the cursor "pending" there; the
//              next printable character wraps first, so a full-width line
//              followed by \n does not leave an empty line (VT100 behaviour).
// Escapes:     SGR (ESC[...m): 0 reset, 1 bold (bright foreground), 22
//              normal, 7/27 reverse on/off, 30-37/90-97 foreground, 39
//              default, 40-47/100-107 background, 49 default. ED (ESC[nJ),
//              EL (ESC[nK) and CUP (ESC[row;colH). Others are ignored.
// The cursor is an underline (CursorShape) under the cell it is on.
using System;

namespace Shared.Console;

public sealed class TextScreen
{
    private const int TabWidth = 8;

    private readonly GlyphRenderer _renderer;
    private readonly BitmapFont _font;
    private readonly Cell[] _cells;
    private readonly uint[] _pixelOfColor = new uint[16];
    private AnsiParser _parser;
    private int _column;
    private int _row;
    private TextColor _foreground = ColorPalette.DefaultForeground;
    private TextColor _background = ColorPalette.DefaultBackground;
    private bool _bold;
    private bool _reverse;
    private bool _afterHighSurrogate;
    private bool _cursorVisible = true;
    private bool _cursorDrawn;

    public TextScreen(GlyphRenderer renderer)
    {
        _renderer = renderer;
        _font = renderer.Font;
        PixelSurface surface = renderer.Surface;
        Columns = surface.Width / renderer.CellWidth;
        Rows = surface.Height / renderer.CellHeight;
        if (Columns < 1 || Rows < 1)
            throw new ArgumentOutOfRangeException(nameof(renderer), "the surface is smaller than one character cell");
        _cells = new Cell[Columns * Rows];
        for (int color = 0; color < 16; color++)
            _pixelOfColor[color] = surface.Layout.Encode(ColorPalette.ToRgb((TextColor)color));
        Clear();
    }

    public int Columns { get; }

    public int Rows { get; }

    public int CellWidth => _renderer.CellWidth;

    public int CellHeight => _renderer.CellHeight;

    public GlyphRenderer Renderer => _renderer;

    /// <summary>The cursor's column; equals Columns while a wrap is pending after the last column was written.</summary>
    public int CursorColumn => _column;

    public int CursorRow => _row;

    /// <summary>The color new text is written in (SGR 30-37/90-97 set it; bold shows the bright variant).</summary>
    public TextColor Foreground => _foreground;

    public TextColor Background => _background;

    public bool CursorVisible
    {
        get => _cursorVisible;
        set
        {
            HideCursor();
            _cursorVisible = value;
            ShowCursor();
        }
    }

    public Cell this[int column, int row] => _cells[(row * Columns) + column];

    /// <summary>Clears the whole screen (margins included) to the current background and homes the cursor.</summary>
    public void Clear()
    {
        _cursorDrawn = false;
        PixelSurface surface = _renderer.Surface;
        surface.FillRectangle(0, 0, surface.Width, surface.Height, _pixelOfColor[(int)EffectiveBackground]);
        new Span<Cell>(_cells).Fill(BlankCell());
        _column = 0;
        _row = 0;
        ShowCursor();
    }

    public void Write(char c)
    {
        HideCursor();
        Process(c);
        ShowCursor();
    }

    public void Write(ReadOnlySpan<char> text)
    {
        HideCursor();
        foreach (char c in text)
            Process(c);
        ShowCursor();
    }

    /// <summary>
    /// Draws <paramref name="text"/> at a fixed cell without moving the cursor or interpreting escapes: status text
    /// such as the shell's clock in the top-right corner. Characters past the row's end are dropped; the text
    /// scrolls with the rest of the screen until it is drawn again.
    /// </summary>
    public void WriteAt(int column, int row, ReadOnlySpan<char> text, TextColor foreground, TextColor background)
    {
        if (row < 0 || row >= Rows)
            return;
        HideCursor();
        for (int i = 0; i < text.Length; i++)
        {
            if (column + i >= 0 && column + i < Columns)
                Put(column + i, row, new Cell(text[i], foreground, background));
        }

        ShowCursor();
    }

    /// <summary>
    /// Brings the screen back to a usable state after a write was abandoned half-way (a fault inside the console):
    /// forgets a half-read escape sequence, resets the colors and puts the cursor back inside the grid.
    /// </summary>
    public void Recover()
    {
        _parser.Reset();
        _afterHighSurrogate = false;
        ResetAttributes();
        _cursorDrawn = false;
        _row = Math.Clamp(_row, 0, Rows - 1);
        _column = Math.Clamp(_column, 0, Columns);
        ShowCursor();
    }

    /// <summary>The characters of a row, trailing blanks removed (tests and diagnostics; allocates).</summary>
    public string RowText(int row)
    {
        char[] text = new char[Columns];
        int length = 0;
        for (int column = 0; column < Columns; column++)
        {
            text[column] = this[column, row].Character;
            if (text[column] != ' ')
                length = column + 1;
        }

        return new string(text, 0, length);
    }

    private TextColor EffectiveForeground => _reverse ? _background : (_bold ? ColorPalette.Brighten(_foreground) : _foreground);

    private TextColor EffectiveBackground => _reverse ? (_bold ? ColorPalette.Brighten(_foreground) : _foreground) : _background;

    private Cell BlankCell() => new(' ', EffectiveForeground, EffectiveBackground);

    private void Process(char c)
    {
        switch (_parser.Feed(c))
        {
            case AnsiAction.Print:
                Print(c);
                break;
            case AnsiAction.Control:
                Control(c);
                break;
            case AnsiAction.ControlSequence:
                ControlSequence();
                break;
        }
    }

    private void Print(char c)
    {
        // A surrogate pair is one character (outside the font's range): one replacement glyph, one cell.
        if (char.IsLowSurrogate(c) && _afterHighSurrogate)
        {
            _afterHighSurrogate = false;
            return;
        }

        _afterHighSurrogate = char.IsHighSurrogate(c);
        if (_column == Columns)
            NewLine();
        Put(_column, _row, new Cell(c, EffectiveForeground, EffectiveBackground));
        _column++;
    }

    private void Control(char c)
    {
        _afterHighSurrogate = false;
        switch (c)
        {
            case '\n':
                NewLine();
                break;
            case '\r':
                _column = 0;
                break;
            case '\t':
                do
                {
                    Print(' ');
                }
                while (_column % TabWidth != 0 && _column < Columns);
                break;
            case '\b':
                if (_column > 0)
                    _column--;
                break;
        }
    }

    private void NewLine()
    {
        _column = 0;
        if (_row < Rows - 1)
            _row++;
        else
            ScrollUp();
    }

    private void ScrollUp()
    {
        int textWidth = Columns * CellWidth;
        _renderer.Surface.CopyRows(CellHeight, 0, (Rows - 1) * CellHeight, 0, textWidth);
        new Span<Cell>(_cells, Columns, Columns * (Rows - 1)).CopyTo(new Span<Cell>(_cells, 0, Columns * (Rows - 1)));
        Erase(0, Rows - 1, Columns);
    }

    private void ControlSequence()
    {
        switch (_parser.Final)
        {
            case 'm':
                SelectGraphicRendition();
                break;
            case 'J':
                EraseInDisplay(_parser.Parameter(0, 0));
                break;
            case 'K':
                EraseInLine(_parser.Parameter(0, 0));
                break;
            case 'H':
            case 'f':
                _row = Math.Clamp(_parser.Parameter(0, 1), 1, Rows) - 1;
                _column = Math.Clamp(_parser.Parameter(1, 1), 1, Columns) - 1;
                break;
        }
    }

    private void SelectGraphicRendition()
    {
        if (_parser.ParameterCount == 0)
            ResetAttributes();
        for (int i = 0; i < _parser.ParameterCount; i++)
        {
            int code = _parser.Parameter(i, 0);
            if (code == 0)
                ResetAttributes();
            else if (code == 1)
                _bold = true;
            else if (code == 22)
                _bold = false;
            else if (code == 7)
                _reverse = true;
            else if (code == 27)
                _reverse = false;
            else if (code >= 30 && code <= 37)
                _foreground = (TextColor)(code - 30);
            else if (code == 39)
                _foreground = ColorPalette.DefaultForeground;
            else if (code >= 40 && code <= 47)
                _background = (TextColor)(code - 40);
            else if (code == 49)
                _background = ColorPalette.DefaultBackground;
            else if (code >= 90 && code <= 97)
                _foreground = (TextColor)(code - 90 + 8);
            else if (code >= 100 && code <= 107)
                _background = (TextColor)(code - 100 + 8);
        }
    }

    private void ResetAttributes()
    {
        _foreground = ColorPalette.DefaultForeground;
        _background = ColorPalette.DefaultBackground;
        _bold = false;
        _reverse = false;
    }

    // ED: 0 = cursor to end of screen, 1 = start of screen to cursor, 2 (or 3) = whole screen. The cursor stays.
    private void EraseInDisplay(int mode)
    {
        int column = Math.Min(_column, Columns - 1);
        if (mode == 0)
        {
            Erase(column, _row, Columns - column);
            for (int row = _row + 1; row < Rows; row++)
                Erase(0, row, Columns);
        }
        else if (mode == 1)
        {
            for (int row = 0; row < _row; row++)
                Erase(0, row, Columns);
            Erase(0, _row, column + 1);
        }
        else if (mode == 2 || mode == 3)
        {
            for (int row = 0; row < Rows; row++)
                Erase(0, row, Columns);
        }
    }

    // EL: 0 = cursor to end of line, 1 = start of line to cursor, 2 = whole line.
    private void EraseInLine(int mode)
    {
        int column = Math.Min(_column, Columns - 1);
        if (mode == 0)
            Erase(column, _row, Columns - column);
        else if (mode == 1)
            Erase(0, _row, column + 1);
        else if (mode == 2)
            Erase(0, _row, Columns);
    }

    // Blanks 'count' cells from (column, row) in the current background, with one fill for the whole run.
    private void Erase(int column, int row, int count)
    {
        if (count <= 0)
            return;
        Cell blank = BlankCell();
        new Span<Cell>(_cells, (row * Columns) + column, count).Fill(blank);
        _renderer.Surface.FillRectangle(column * CellWidth, row * CellHeight, count * CellWidth, CellHeight, _pixelOfColor[(int)blank.Background]);
    }

    private void Put(int column, int row, Cell cell)
    {
        _cells[(row * Columns) + column] = cell;
        Draw(column, row, cell, withCursor: false);
    }

    private void Draw(int column, int row, Cell cell, bool withCursor)
    {
        _renderer.DrawGlyph(
            column * CellWidth,
            row * CellHeight,
            _font.GlyphIndex(cell.Character),
            _pixelOfColor[(int)cell.Foreground],
            _pixelOfColor[(int)cell.Background],
            withCursor ? CursorShape.Thickness(_font) : 0);
    }

    // While a wrap is pending the cursor shows on the last column, where the next character would have gone.
    private void ShowCursor()
    {
        if (!_cursorVisible || _cursorDrawn)
            return;
        int column = Math.Min(_column, Columns - 1);
        Draw(column, _row, this[column, _row], withCursor: true);
        _cursorDrawn = true;
    }

    private void HideCursor()
    {
        if (!_cursorDrawn)
            return;
        int column = Math.Min(_column, Columns - 1);
        Draw(column, _row, this[column, _row], withCursor: false);
        _cursorDrawn = false;
    }
}
