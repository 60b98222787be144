// Keys typed into QEMU (QMP send-key) reach the kernel through the i8042,
// IRQ1, the I/O APIC and the keyboard's interrupt handler, and come out
// decoded: the kernel's "ps2.echo" mode (Kernel/Drivers/KeyboardEcho.cs)
// prints each event the input pump decodes, and the interrupt counters when
// Escape is released. Covers letters, shifted symbols, caps lock, ctrl,
// E0-prefixed keys (arrows, navigation block, keypad enter and divide, right
// ctrl/alt) and releases; hundreds of keys with the tick going on, on one
// CPU and on eight; and bytes typed into the serial port, which arrive by
// the COM1 interrupt and are echoed.
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
        Match summary = await run.WaitForSerialAsync(SummaryPattern);

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

        // Each key event took at least one keyboard interrupt (E0 keys two or more), and the 8259s stayed silent.
        Assert.True(Count(summary, "keyboard") >= events.Count, $"{Count(summary, "keyboard")} keyboard interrupts for {events.Count} key events");
        Assert.Equal(0L, Count(summary, "pic"));
        Assert.Equal(0L, Count(summary, "dropped"));
        Assert.True(Count(summary, "ticks") > 0);
    }

    // 300 keys typed in batches of 5, each batch echoed (presses and releases) before the next: QEMU's input queue
    // holds about 50 entries (a key with its hold delay takes ~5) and silently drops key events beyond that. All
    // arrive in order, each took exactly two keyboard interrupts (make and break code), none was dropped, and
    // the tick runs on afterwards - each interrupt was acknowledged at the local APIC.
    [Theory]
    [InlineData("q35", 1)]
    [InlineData("pc", 8)]
    public async Task HundredsOfKeys_ArriveInOrder_AndTheTickGoesOn(string machine, int cpus)
    {
        const string Letters = "qwertyuiopasdfghjklzxcvbnm";
        const int Keys = 300;
        const int Batch = 5;
        await using QemuRun run = QemuRun.Start(new BootOptions
        {
            Name = $"interrupts-keyboard-{Keys}-keys-{machine}-{cpus}cpu",
            Esp = Repository.ReleaseEsp,
            MachineType = machine,
            Cpus = cpus,
            Config = "args = ps2.echo\n",
            Timeout = TimeSpan.FromSeconds(240),
        });
        await run.WaitForSerialAsync(@"^\[keys\] echo ready");
        QmpClient qmp = await run.QmpAsync();
        for (int batch = 0; batch < Keys / Batch; batch++)
        {
            for (int i = batch * Batch; i < (batch + 1) * Batch; i++)
                await qmp.SendKeyAsync(10, Letters[i % Letters.Length].ToString());
            int echoed = 2 * (batch + 1) * Batch;
            await WaitUntilAsync(run, () => EventLine().Matches(run.Serial.Replace("\r", "")).Count >= echoed, $"{echoed} key events echoed");
        }

        await qmp.SendKeyAsync(10, "esc");
        Match first = await run.WaitForSerialAsync(SummaryPattern);
        await Task.Delay(1500);
        await qmp.SendKeyAsync(10, "esc");
        await WaitUntilAsync(run, () => Regex.Matches(run.Serial, SummaryPattern, RegexOptions.Multiline).Count >= 2, "a second summary");

        string typed = new(EventLine().Matches(run.Serial.Replace("\r", ""))
            .Where(m => m.Groups["dir"].Value == "down" && m.Groups["char"].Value != "-")
            .Select(m => (char)Convert.ToInt32(m.Groups["char"].Value, 16)).ToArray());
        string expected = new(Enumerable.Range(0, Keys).Select(i => Letters[i % Letters.Length]).ToArray());
        Assert.Equal(expected + "\u001b\u001b", typed);

        Assert.Equal(2L * (Keys + 1), Count(first, "keyboard"));
        Assert.Equal(0L, Count(first, "dropped"));
        Assert.Equal(0L, Count(first, "pic"));
        Match last = Regex.Matches(run.Serial, SummaryPattern, RegexOptions.Multiline).Last();
        Assert.Equal(2L * (Keys + 2), Count(last, "keyboard"));
        long ticks = Count(last, "ticks") - Count(first, "ticks");
        Assert.True(ticks >= 100, $"{ticks} ticks in the 1.5 s between the two summaries (100 Hz)");
        Assert.Equal(0L, Count(last, "pic"));
    }

    // Bytes typed into the serial port arrive through the UART's receive interrupt (IRQ4) and the input pump, and
    // the shell's line editor echoes them to the console - which mirrors them back to serial - after its prompt.
    [Fact]
    public async Task SerialInput_ArrivesByInterrupt_AndIsEchoed()
    {
        await using QemuRun run = QemuRun.Start(new BootOptions
        {
            Name = "interrupts-serial-input",
            Esp = Repository.ReleaseEsp,
            SerialInput = true,
            Timeout = TimeSpan.FromSeconds(180),
        });
        await run.WaitForSerialAsync(@"^\[boot\] interrupts: ok, enabled: keyboard IRQ1, COM1 IRQ4");
        Match banner = await run.WaitForSerialAsync(@"^Tessera \d+\.\d+\.\d+ .*\n");
        await run.SendSerialAsync("typed on serial, caf\u00e9\r");
        Match echo = await run.WaitForSerialAsync(@"^tessera> typed on serial, caf\u00e9\r?$", TimeSpan.FromSeconds(60));
        Assert.True(echo.Index > banner.Index, "the echo comes after the banner");
    }

    private const string SummaryPattern = @"^\[keys\] escape: timer (?<ticks>\d+) ticks at \d+ Hz, keyboard (?<keyboard>\d+), COM1 \d+, 8259 (?<pic>\d+), "
        + @"spurious \d+, APIC errors \d+, scancodes dropped (?<dropped>\d+), serial bytes dropped \d+";

    private static async Task WaitUntilAsync(QemuRun run, Func<bool> condition, string what)
    {
        DateTime deadline = DateTime.UtcNow + run.Options.Timeout;
        while (!condition())
        {
            if (run.HasExited || DateTime.UtcNow > deadline)
                throw new BootFailedException($"{run.Options.Name}: {(run.HasExited ? "QEMU exited" : "timed out")} waiting for {what}", run);
            await Task.Delay(20);
        }
    }

    private static long Count(Match summary, string group) => long.Parse(summary.Groups[group].Value);

    [GeneratedRegex(@"^\[keys\] (?<dir>down|up) key=(?<key>\d+)(?: char=(?<char>[0-9A-F]+|-))? mods=(?<mods>[0-9A-F]+)$", RegexOptions.Multiline)]
    private static partial Regex EventLine();
}
