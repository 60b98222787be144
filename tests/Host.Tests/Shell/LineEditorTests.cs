// The shell's line editor: what each key does to the line and the text it
// sends to redraw it (printable characters, '\b' and spaces only).
using Shared.Console;
using Shared.Shell;
using Xunit;

namespace Host.Tests.Shell;

public sealed class LineEditorTests
{
    private static KeyPress C(char c) => KeyPress.FromCharacter(c);

    private static KeyPress S(SpecialKey key) => KeyPress.FromSpecial(key);

    private static (LineEditResult Result, string Echo) Type(LineEditor editor, params KeyPress[] keys)
    {
        var echo = new EchoText();
        LineEditResult result = LineEditResult.Editing;
        foreach (KeyPress key in keys)
            result = editor.Feed(key, echo);
        return (result, echo.ToString());
    }

    [Fact]
    public void Printable_IsInsertedAndEchoed_EnterSubmits()
    {
        var editor = new LineEditor();
        (LineEditResult result, string echo) = Type(editor, C('l'), C('s'), C('\n'));

        Assert.Equal(LineEditResult.Submitted, result);
        Assert.Equal("ls", editor.Text);
        Assert.Equal("ls\n", echo);
    }

    [Fact]
    public void InsertInTheMiddle_RedrawsTheTail_AndBacksUp()
    {
        var editor = new LineEditor();
        Type(editor, C('a'), C('c'), S(SpecialKey.Left));
        (_, string echo) = Type(editor, C('b'));

        Assert.Equal("abc", editor.Text);
        Assert.Equal(2, editor.Cursor);
        Assert.Equal("bc\b", echo);
    }

    [Fact]
    public void Backspace_InTheMiddle_ClosesTheGap_AndBlanksTheLastCell()
    {
        var editor = new LineEditor();
        Type(editor, C('a'), C('b'), C('c'), S(SpecialKey.Left));
        (_, string echo) = Type(editor, C('\b'));

        Assert.Equal("ac", editor.Text);
        Assert.Equal(1, editor.Cursor);
        Assert.Equal("\bc \b\b", echo);
    }

    [Fact]
    public void BackspaceAtStart_AndRightAtEnd_DoNothing()
    {
        var editor = new LineEditor();
        (_, string echo) = Type(editor, C('\b'), S(SpecialKey.Right), S(SpecialKey.Left));

        Assert.Equal("", editor.Text);
        Assert.Equal("", echo);
    }

    [Fact]
    public void CtrlC_DropsTheLine()
    {
        var editor = new LineEditor();
        (LineEditResult result, string echo) = Type(editor, C('x'), C('\x03'));

        Assert.Equal(LineEditResult.Canceled, result);
        Assert.Equal("x^C\n", echo);
        Assert.Equal(0, editor.HistoryCount);
    }

    [Fact]
    public void History_UpRecallsNewestFirst_DownReturnsToTheEmptyLine_RepeatsAndBlanksAreNotKept()
    {
        var editor = new LineEditor();
        foreach (string line in new[] { "one", "two", "two", "   " })
        {
            editor.Reset();
            foreach (char c in line)
                Type(editor, C(c));
            Type(editor, C('\n'));
        }

        Assert.Equal(2, editor.HistoryCount);
        editor.Reset();
        Type(editor, S(SpecialKey.Up));
        Assert.Equal("two", editor.Text);
        Type(editor, S(SpecialKey.Up));
        Assert.Equal("one", editor.Text);
        (_, string echo) = Type(editor, S(SpecialKey.Up));
        Assert.Equal("one", editor.Text);
        Assert.Equal("", echo);
        Type(editor, S(SpecialKey.Down));
        Assert.Equal("two", editor.Text);
        (_, echo) = Type(editor, S(SpecialKey.Down));
        Assert.Equal("", editor.Text);
        Assert.Equal("\b\b\b   \b\b\b", echo);
    }

    [Fact]
    public void FullLine_IgnoresFurtherCharacters()
    {
        var editor = new LineEditor();
        for (int i = 0; i < LineEditor.MaxLength + 10; i++)
            Type(editor, C('x'));

        Assert.Equal(LineEditor.MaxLength, editor.Length);
    }
}
