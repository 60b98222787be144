// What a serial terminal sends, as key presses.
using System.Text;
using Shared.Console;
using Xunit;

namespace Host.Tests.Console;

public sealed class TerminalInputDecoderTests
{
    [Fact]
    public void AsciiAndUtf8_BecomeCharacters()
        => Assert.Equal("hé€x", Characters(Encoding.UTF8.GetBytes("hé€x")));

    [Fact]
    public void CarriageReturn_LineFeed_OrBoth_AreOneEnter()
        => Assert.Equal("a\nb\nc\nd", Characters(Encoding.ASCII.GetBytes("a\rb\r\nc\nd")));

    [Fact]
    public void DeleteAndBackspaceBytes_AreBackspace()
        => Assert.Equal("x\b\b", Characters(new byte[] { (byte)'x', 0x7F, 0x08 }));

    [Theory]
    [InlineData("\x1b[A", SpecialKey.Up)]
    [InlineData("\x1b[B", SpecialKey.Down)]
    [InlineData("\x1b[C", SpecialKey.Right)]
    [InlineData("\x1b[D", SpecialKey.Left)]
    [InlineData("\x1bOH", SpecialKey.Home)]
    [InlineData("\x1b[F", SpecialKey.End)]
    [InlineData("\x1b[3~", SpecialKey.Delete)]
    [InlineData("\x1b[5~", SpecialKey.PageUp)]
    [InlineData("\x1b[1;5C", SpecialKey.Right)]
    public void EscapeSequences_BecomeSpecialKeys(string sequence, SpecialKey key)
    {
        List<KeyPress> keys = Decode(Encoding.ASCII.GetBytes(sequence));
        Assert.Single(keys);
        Assert.Equal(key, keys[0].Key);
    }

    [Fact]
    public void LoneEscape_IsTheEscapeKey_FollowedByTheNextByte()
    {
        List<KeyPress> keys = Decode(Encoding.ASCII.GetBytes("\x1bq"));
        Assert.Equal(2, keys.Count);
        Assert.Equal(SpecialKey.Escape, keys[0].Key);
        Assert.Equal('q', keys[1].Character);
    }

    [Fact]
    public void InvalidUtf8_BecomesReplacementCharacters_WithoutLosingTheNextByte()
    {
        Assert.Equal("\uFFFDA", Characters(new byte[] { 0xC3, (byte)'A' }));     // truncated sequence
        Assert.Equal("\uFFFDB", Characters(new byte[] { 0x80, (byte)'B' }));     // stray continuation byte
        Assert.Equal("\uFFFD", Characters(new byte[] { 0xE0, 0x81, 0x81 }));    // overlong
        Assert.Equal("\uFFFD", Characters(new byte[] { 0xF0, 0x9F, 0x98, 0x80 })); // outside the BMP
    }

    [Fact]
    public void UnknownSequences_AreDropped()
        => Assert.Equal("ab", Characters(Encoding.ASCII.GetBytes("a\x1b[99~\x1b[Zb")));

    private static string Characters(byte[] bytes) => new(Decode(bytes).Select(k => k.Character).ToArray());

    private static List<KeyPress> Decode(byte[] bytes)
    {
        var decoder = new TerminalInputDecoder();
        var keys = new List<KeyPress>();
        Span<KeyPress> buffer = stackalloc KeyPress[2];
        foreach (byte b in bytes)
        {
            int count = decoder.Feed(b, buffer);
            for (int i = 0; i < count; i++)
                keys.Add(buffer[i]);
        }

        return keys;
    }
}
