// Key events to console key presses, over real scancode sequences: what the
// kernel's input pump hands to readers for each kind of key.
using Shared.Console;
using Shared.Input;
using Xunit;

namespace Host.Tests.Input;

public sealed class KeyPressMappingTests
{
    private static List<KeyPress> Presses(bool numLock, params byte[] codes)
    {
        var decoder = new ScancodeDecoder(numLock);
        var presses = new List<KeyPress>();
        foreach (byte code in codes)
        {
            if (decoder.TryDecode(code, out KeyEvent keyEvent) && KeyPressMapping.TryMap(keyEvent, out KeyPress press))
                presses.Add(press);
        }

        return presses;
    }

    [Fact]
    public void Characters_ComeThrough_ReleasesAndModifiersDoNot()
    {
        // a, shift+1, Enter, Backspace, Tab, ctrl+c: make and break codes.
        List<KeyPress> presses = Presses(true, 0x1E, 0x9E, 0x2A, 0x02, 0x82, 0xAA, 0x1C, 0x9C, 0x0E, 0x8E, 0x0F, 0x8F, 0x1D, 0x2E, 0xAE, 0x9D);
        Assert.All(presses, p => Assert.True(p.IsCharacter));
        Assert.Equal("a!\n\b\t\u0003", new string(presses.Select(p => p.Character).ToArray()));
    }

    [Fact]
    public void EscapeAndExtendedKeys_BecomeSpecialKeys()
    {
        // Esc, E0 up, E0 left, E0 home, E0 delete, E0 page down (each pressed and released).
        List<KeyPress> presses = Presses(true, 0x01, 0x81, 0xE0, 0x48, 0xE0, 0xC8, 0xE0, 0x4B, 0xE0, 0xCB, 0xE0, 0x47, 0xE0, 0xC7,
            0xE0, 0x53, 0xE0, 0xD3, 0xE0, 0x51, 0xE0, 0xD1);
        Assert.Equal(new[] { SpecialKey.Escape, SpecialKey.Up, SpecialKey.Left, SpecialKey.Home, SpecialKey.Delete, SpecialKey.PageDown },
            presses.Select(p => p.Key).ToArray());
    }

    [Fact]
    public void Keypad_GivesDigitsWithNumLock_AndNavigationWithout()
    {
        byte[] keypad = { 0x47, 0xC7, 0x48, 0xC8, 0x52, 0xD2, 0x53, 0xD3 }; // keypad 7, 8, 0, period
        Assert.Equal("780.", new string(Presses(true, keypad).Select(p => p.Character).ToArray()));
        Assert.Equal(new[] { SpecialKey.Home, SpecialKey.Up, SpecialKey.Insert, SpecialKey.Delete },
            Presses(false, keypad).Select(p => p.Key).ToArray());
    }

    [Fact]
    public void KeysWithoutMeaningForReaders_GiveNothing()
        => Assert.Empty(Presses(true, 0x3B, 0xBB, 0x2A, 0xAA, 0x38, 0xB8, 0x3A, 0xBA)); // F1, shift, alt, caps lock
}
