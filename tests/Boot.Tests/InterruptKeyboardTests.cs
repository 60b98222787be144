// Keys typed into QEMU (QMP send-key) reach the kernel through the i8042 and
// come out decoded: the kernel's "ps2.echo" mode (Kernel/Drivers/
// KeyboardEcho.cs) polls the controller, runs Shared/Input's decoder and
// prints each event. Covers letters, shifted symbols, caps lock, ctrl,
// E0-prefixed keys (arrows, navigation block, keypad enter and divide, right
// ctrl/alt) and releases.
using System.Text.RegularExpressions;
using Boot.Tests.Harness;
using Shared.Input;
using Xunit;

namespace Boot.Tests;

public sealed partial class InterruptKeyboardTests
{
    [Fact]
    public async Task KeysTypedThroughQmp_ArriveDecodedWithModifiersAndExtendedKeys()
    {
        await using QemuRun run = QemuRun.Start(new BootOptions
        {
            Name = "interrupts-keyboard-echo",
            Esp = Repository.ReleaseEsp,
            Config = "args = ps2.echo\n",
            Timeout = TimeSpan.FromSeconds(180),
        });
        await run.WaitForSerialAsync(@"^\[keys\] echo ready");
        QmpClient qmp = await run.QmpAsync();
        string[][] keys =
        {
            new[] { "a" }, new[] { "shift", "1" }, new[] { "shift", "slash" }, new[] { "caps_lock" }, new[] { "b" },
            new[] { "caps_lock" }, new[] { "ctrl", "c" }, new[] { "up" }, new[] { "left" }, new[] { "home" }, new[] { "end" },
            new[] { "delete" }, new[] { "insert" }, new[] { "pgup" }, new[] { "pgdn" }, new[] { "kp_enter" }, new[] { "kp_divide" },
            new[] { "ctrl_r" }, new[] { "alt_r" }, new[] { "bracket_left" }, new[] { "shift", "apostrophe" }, new[] { "esc" },
        };
        foreach (string[] combination in keys)
            await qmp.SendKeyAsync(combination);
        await run.WaitForSerialAsync(@"^\[keys\] echo done");

        List<(bool Down, KeyCode Key, char? Char)> events = EventLine().Matches(run.Serial.Replace("\r", ""))
            .Select(m => (m.Groups["dir"].Value == "down", (KeyCode)int.Parse(m.Groups["key"].Value),
                m.Groups["char"].Success && m.Groups["char"].Value != "-" ? (char?)Convert.ToInt32(m.Groups["char"].Value, 16) : null))
            .ToList();

        string typed = new(events.Where(e => e.Down && e.Char is not null).Select(e => e.Char!.Value).ToArray());
        Assert.Equal("a!?B\u0003\n/[\"\u001b", typed);

        KeyCode[] pressed = events.Where(e => e.Down).Select(e => e.Key).ToArray();
        KeyCode[] expected =
        {
            KeyCode.A, KeyCode.LeftShift, KeyCode.D1, KeyCode.LeftShift, KeyCode.Slash, KeyCode.CapsLock, KeyCode.B, KeyCode.CapsLock,
            KeyCode.LeftControl, KeyCode.C, KeyCode.ArrowUp, KeyCode.ArrowLeft, KeyCode.Home, KeyCode.End, KeyCode.Delete, KeyCode.Insert,
            KeyCode.PageUp, KeyCode.PageDown, KeyCode.KeypadEnter, KeyCode.KeypadDivide, KeyCode.RightControl, KeyCode.RightAlt,
            KeyCode.LeftBracket, KeyCode.LeftShift, KeyCode.Apostrophe, KeyCode.Escape,
        };
        Assert.Equal(expected, pressed);

        // Every press has its release, in a balanced order, and no modifier is left held.
        foreach (KeyCode key in expected.Distinct())
            Assert.Equal(events.Count(e => e.Down && e.Key == key), events.Count(e => !e.Down && e.Key == key));
        Match last = EventLine().Matches(run.Serial.Replace("\r", "")).Last();
        var modifiers = (KeyModifiers)Convert.ToInt32(last.Groups["mods"].Value, 16);
        Assert.Equal(KeyModifiers.NumLock, modifiers);
    }

    [GeneratedRegex(@"^\[keys\] (?<dir>down|up) key=(?<key>\d+)(?: char=(?<char>[0-9A-F]+|-))? mods=(?<mods>[0-9A-F]+)$", RegexOptions.Multiline)]
    private static partial Regex EventLine();
}
