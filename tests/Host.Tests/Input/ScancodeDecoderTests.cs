// The set 1 decoder over whole scancode sequences, as a keyboard behind an
// i8042 with translation sends them.
using Shared.Input;
using Xunit;

namespace Host.Tests.Input;

public sealed class ScancodeDecoderTests
{
    private static List<KeyEvent> Decode(ScancodeDecoder decoder, params byte[] codes)
    {
        var events = new List<KeyEvent>();
        foreach (byte code in codes)
        {
            if (decoder.TryDecode(code, out KeyEvent key))
                events.Add(key);
        }

        return events;
    }

    private static List<KeyEvent> Decode(params byte[] codes) => Decode(new ScancodeDecoder(), codes);

    private static string Typed(IEnumerable<KeyEvent> events) => new(events.Where(e => e.IsPressed && e.HasCharacter).Select(e => e.Character).ToArray());

    // Make then break code for each key of a US-layout string, with shift around upper-case letters and symbols.
    private static byte[] Type(string text)
    {
        var codes = new List<byte>();
        foreach (char c in text)
        {
            (byte code, bool shift) = c switch
            {
                >= 'a' and <= 'z' => (Letter(c), false),
                >= 'A' and <= 'Z' => (Letter(char.ToLowerInvariant(c)), true),
                ' ' => ((byte)0x39, false),
                ',' => ((byte)0x33, false),
                '!' => ((byte)0x02, true),
                _ => throw new ArgumentException("no code for " + c),
            };
            if (shift)
                codes.Add(0x2A);
            codes.Add(code);
            codes.Add((byte)(code | 0x80));
            if (shift)
                codes.Add(0xAA);
        }

        return codes.ToArray();
    }

    private static byte Letter(char c) => "qwertyuiop".IndexOf(c) is int top and >= 0 ? (byte)(0x10 + top)
        : "asdfghjkl".IndexOf(c) is int home and >= 0 ? (byte)(0x1E + home)
        : (byte)(0x2C + "zxcvbnm".IndexOf(c));

    [Fact]
    public void Sentence_WithShiftedLettersAndPunctuation_TypesItself()
        => Assert.Equal("Hello, World!", Typed(Decode(Type("Hello, World!"))));

    [Fact]
    public void Press_AndRelease_AreSeparateEvents_OnlyThePressTypes()
    {
        List<KeyEvent> events = Decode(0x1E, 0x9E);

        Assert.Equal(2, events.Count);
        Assert.Equal((KeyCode.A, true, 'a'), (events[0].Key, events[0].IsPressed, events[0].Character));
        Assert.Equal((KeyCode.A, false, '\0'), (events[1].Key, events[1].IsPressed, events[1].Character));
    }

    [Fact]
    public void DigitRow_UnshiftedAndShifted()
    {
        byte[] row = { 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D };
        Assert.Equal("1234567890-=", Typed(Decode(row)));
        Assert.Equal("!@#$%^&*()_+", Typed(Decode(new byte[] { 0x2A }.Concat(row).ToArray())));
    }

    [Fact]
    public void Punctuation_UnshiftedAndShiftedWithTheRightShift()
    {
        byte[] keys = { 0x1A, 0x1B, 0x27, 0x28, 0x29, 0x2B, 0x33, 0x34, 0x35 };
        Assert.Equal("[];'`\\,./", Typed(Decode(keys)));
        Assert.Equal("{}:\"~|<>?", Typed(Decode(new byte[] { 0x36 }.Concat(keys).ToArray())));
    }

    [Fact]
    public void WhitespaceAndControlKeys_TypeTheirControlCharacters()
        => Assert.Equal("\n\t\b\u001b ", Typed(Decode(0x1C, 0x0F, 0x0E, 0x01, 0x39)));

    [Fact]
    public void CapsLock_TogglesLetterCase_ButNotDigits_AndShiftInvertsIt()
    {
        var decoder = new ScancodeDecoder();

        Assert.Equal("A1", Typed(Decode(decoder, 0x3A, 0xBA, 0x1E, 0x02)));
        Assert.True((decoder.Modifiers & KeyModifiers.CapsLock) != 0);
        Assert.Equal("a!", Typed(Decode(decoder, 0x2A, 0x1E, 0x02, 0xAA)));
        Assert.Equal("a", Typed(Decode(decoder, 0x3A, 0xBA, 0x1E)));
        Assert.Equal(KeyModifiers.NumLock, decoder.Modifiers);
    }

    [Fact]
    public void CapsLockHeldWithAutoRepeat_TogglesOnce()
    {
        var decoder = new ScancodeDecoder();
        Decode(decoder, 0x3A, 0x3A, 0x3A, 0xBA);
        Assert.True((decoder.Modifiers & KeyModifiers.CapsLock) != 0);
    }

    [Fact]
    public void Control_TurnsLettersIntoControlCharacters_AndReleasesCleanly()
    {
        var decoder = new ScancodeDecoder();
        List<KeyEvent> events = Decode(decoder, 0x1D, 0x2E, 0xAE, 0x1A, 0x9D, 0x2E);

        Assert.Equal("\u0003\u001bc", Typed(events));
        Assert.True(events[1].Control);
        Assert.False(events.Last().Control);
    }

    [Fact]
    public void Alt_IsReportedOnTheEvent_AndDoesNotChangeTheCharacter()
    {
        List<KeyEvent> events = Decode(0x38, 0x1E, 0xB8);

        Assert.True(events[1].Alt);
        Assert.Equal('a', events[1].Character);
        Assert.False(events[2].Alt);
    }

    [Fact]
    public void ExtendedKeys_DecodeToTheirOwnKeyCodes()
    {
        (byte Code, KeyCode Key)[] keys =
        {
            (0x48, KeyCode.ArrowUp), (0x50, KeyCode.ArrowDown), (0x4B, KeyCode.ArrowLeft), (0x4D, KeyCode.ArrowRight),
            (0x47, KeyCode.Home), (0x4F, KeyCode.End), (0x52, KeyCode.Insert), (0x53, KeyCode.Delete),
            (0x49, KeyCode.PageUp), (0x51, KeyCode.PageDown), (0x1C, KeyCode.KeypadEnter), (0x35, KeyCode.KeypadDivide),
            (0x1D, KeyCode.RightControl), (0x38, KeyCode.RightAlt), (0x5B, KeyCode.LeftGui), (0x5C, KeyCode.RightGui), (0x5D, KeyCode.Menu),
        };
        foreach ((byte code, KeyCode key) in keys)
        {
            List<KeyEvent> events = Decode(0xE0, code, 0xE0, (byte)(code | 0x80));
            Assert.Equal(new[] { (key, true), (key, false) }, events.Select(e => (e.Key, e.IsPressed)));
        }
    }

    [Fact]
    public void ExtendedKeysAreNotTheirKeypadTwins()
    {
        Assert.Equal(KeyCode.Keypad8, Decode(0x48).Single().Key);
        Assert.Equal(KeyCode.ArrowUp, Decode(0xE0, 0x48).Single().Key);
        Assert.Equal("\n/", Typed(Decode(0xE0, 0x1C, 0xE0, 0x35)));
    }

    [Fact]
    public void RightControlAndRightAlt_SetTheirOwnModifierBits()
    {
        var decoder = new ScancodeDecoder();
        Decode(decoder, 0xE0, 0x1D, 0xE0, 0x38);
        Assert.Equal(KeyModifiers.RightControl | KeyModifiers.RightAlt | KeyModifiers.NumLock, decoder.Modifiers);
        Decode(decoder, 0xE0, 0x9D, 0xE0, 0xB8);
        Assert.Equal(KeyModifiers.NumLock, decoder.Modifiers);
    }

    [Fact]
    public void FakeShifts_AroundExtendedKeys_AreIgnored()
    {
        // Home with NumLock on: E0 2A E0 47 ... E0 C7 E0 AA; with Shift held the keyboard sends E0 AA / E0 2A around it.
        var decoder = new ScancodeDecoder();
        List<KeyEvent> events = Decode(decoder, 0xE0, 0x2A, 0xE0, 0x47, 0xE0, 0xC7, 0xE0, 0xAA, 0x2A, 0xE0, 0xAA, 0xE0, 0x52, 0xE0, 0xD2, 0xE0, 0x2A);

        Assert.Equal(new[] { KeyCode.Home, KeyCode.Home, KeyCode.LeftShift, KeyCode.Insert, KeyCode.Insert }, events.Select(e => e.Key));
        Assert.True((decoder.Modifiers & KeyModifiers.LeftShift) != 0, "the real shift stays held through the fake release");
    }

    [Fact]
    public void PrintScreen_FourBytePressAndRelease_AreOneKey()
    {
        List<KeyEvent> events = Decode(0xE0, 0x2A, 0xE0, 0x37, 0xE0, 0xB7, 0xE0, 0xAA, 0x1E);

        Assert.Equal(new[] { (KeyCode.PrintScreen, true), (KeyCode.PrintScreen, false), (KeyCode.A, true) }, events.Select(e => (e.Key, e.IsPressed)));
    }

    [Fact]
    public void Pause_SixByteSequence_IsAPressAndARelease_WithoutDesync()
    {
        List<KeyEvent> events = Decode(0xE1, 0x1D, 0x45, 0xE1, 0x9D, 0xC5, 0x1E, 0x9E);

        Assert.Equal(new[] { (KeyCode.Pause, true), (KeyCode.Pause, false), (KeyCode.A, true), (KeyCode.A, false) }, events.Select(e => (e.Key, e.IsPressed)));
        Assert.Equal(KeyModifiers.NumLock, events[0].Modifiers);
    }

    [Fact]
    public void CtrlPause_IsTheExtendedBreakCode()
        => Assert.Equal(KeyCode.Pause, Decode(0x1D, 0xE0, 0x46, 0xE0, 0xC6, 0x9D)[1].Key);

    [Fact]
    public void AltPrintScreen_IsSysRq() => Assert.Equal(KeyCode.SysRq, Decode(0x54).Single().Key);

    [Fact]
    public void ControllerReplies_ProduceNothing()
        => Assert.Empty(Decode(0xFA, 0xEE, 0xFE, 0x00, 0xFF));

    [Fact]
    public void UnknownCodes_AreDropped_AndTheNextKeyDecodes()
    {
        List<KeyEvent> events = Decode(0x59, 0xE0, 0x70, 0xE1, 0x12, 0x34, 0x1E);
        Assert.Equal(KeyCode.A, events.Single().Key);
    }

    [Fact]
    public void Keypad_TypesDigitsWithNumLock_AndNothingWithoutIt()
    {
        byte[] keypad = { 0x47, 0x48, 0x49, 0x4B, 0x4C, 0x4D, 0x4F, 0x50, 0x51, 0x52, 0x53, 0x37, 0x4A, 0x4E };
        var decoder = new ScancodeDecoder(numLock: true);
        Assert.Equal("7894561230.*-+", Typed(Decode(decoder, keypad)));

        Decode(decoder, 0x45, 0xC5);
        Assert.Equal("*-+", Typed(Decode(decoder, keypad)));
        Assert.Equal(KeyModifiers.None, decoder.Modifiers);
    }

    [Fact]
    public void FunctionKeys_AreKeysWithoutCharacters()
    {
        List<KeyEvent> events = Decode(0x3B, 0x44, 0x57, 0x58);
        Assert.Equal(new[] { KeyCode.F1, KeyCode.F10, KeyCode.F11, KeyCode.F12 }, events.Select(e => e.Key));
        Assert.All(events, e => Assert.False(e.HasCharacter));
    }

    [Fact]
    public void Reset_ForgetsHeldModifiersAndHalfSequences_ButKeepsLocks()
    {
        var decoder = new ScancodeDecoder();
        Decode(decoder, 0x3A, 0x2A, 0x1D, 0xE0);
        decoder.Reset();

        Assert.Equal(KeyModifiers.CapsLock | KeyModifiers.NumLock, decoder.Modifiers);
        Assert.Equal(KeyCode.Keypad8, Decode(decoder, 0x48).Single().Key);
    }

    // Whatever garbage came before, three filler bytes (which complete any pending E0 or E1 sequence and are
    // ignored otherwise) bring the decoder back in step: the next key decodes as itself.
    [Theory]
    [InlineData(11)]
    [InlineData(22)]
    [InlineData(33)]
    public void RandomGarbage_NeverThrows_AndResynchronizes(int seed)
    {
        var random = new Random(seed);
        var decoder = new ScancodeDecoder();
        for (int round = 0; round < 2000; round++)
        {
            var garbage = new byte[random.Next(1, 12)];
            random.NextBytes(garbage);
            Decode(decoder, garbage);
            List<KeyEvent> events = Decode(decoder, 0x00, 0x00, 0x00, 0x30, 0xB0);
            Assert.Equal(new[] { (KeyCode.B, true), (KeyCode.B, false) }, events.Select(e => (e.Key, e.IsPressed)));
        }
    }
}
