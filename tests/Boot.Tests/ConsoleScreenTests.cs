// The console as a person at the screen sees it: QEMU screendumps read back
// into text (glyph by glyph, with the same font data the kernel drew with)
// and compared with what the kernel printed on serial. The test-image boots
// pass ktest.halt, so the machine stays up for the screendump after its run.
// One class: its boots run one after another, next to the kernel-test boots.
using System.Text.RegularExpressions;
using Boot.Tests.Harness;
using Shared.Console;
using Xunit;

namespace Boot.Tests;

public sealed class ConsoleScreenTests
{
    private const string BannerPattern = @"^Tessera \d+\.\d+\.\d+ \(x86_64, UEFI\) \| .*$";

    [Fact]
    public async Task Banner_IsOnSerial_AndOnScreen_InTheConsoleColors()
    {
        // The loader picks the largest mode up to the configured limit: pin std VGA's 1280x800.
        await using QemuRun run = QemuRun.Start(new BootOptions { Name = "console-banner", Esp = Repository.ReleaseEsp, Config = "resolution = 1280x800\n" });
        Match banner = await run.WaitForSerialAsync(BannerPattern);
        await run.WaitForSerialAsync(@"^tessera> ");
        var screen = new ConsoleScreen(await run.ScreenshotAsync("banner"), scale: 1);
        string[] rows = screen.ReadRows();

        // std VGA at 1280x800 and 8x16 cells: 160x50 characters, the boot log from the top, the clock task's
        // uptime in the top-right corner (on the screen only, never on serial).
        Assert.Equal((160, 50), (screen.Columns, screen.Rows));
        Assert.Contains("1280x800 display, 160x50 text", banner.Value);
        int bannerRow = Array.FindIndex(rows, r => r.StartsWith("Tessera", StringComparison.Ordinal));
        Assert.True(bannerRow >= 0, "no banner on screen; the screen shows:\n" + string.Join("\n", rows));
        Assert.Equal(banner.Value.TrimEnd('\r'), rows[bannerRow]);
        Assert.Matches(@"^\[boot\] serial port COM1: ok {20,}up \d\d:\d\d:\d\d$", rows[0]);
        Assert.Equal(160, rows[0].Length);
        Assert.Equal("[boot] boot information: ok", rows[1]);
        Assert.DoesNotMatch(@" up \d\d:\d\d:\d\d", run.Serial);

        // The colors: the banner in bright cyan, the stage status in bright green, the stage name in gray, on black.
        Assert.Equal(new[] { ColorPalette.ToRgb(TextColor.BrightCyan) }, screen.GlyphColors(bannerRow, 0, rows[bannerRow].Length));
        Assert.Equal(new[] { ColorPalette.ToRgb(TextColor.BrightGreen) }, screen.GlyphColors(0, 25, 2));
        Assert.Equal(new[] { ColorPalette.ToRgb(TextColor.Gray) }, screen.GlyphColors(0, 0, 23));

        // The shell's greeting and prompt below the banner, the cursor (an underline) after the prompt.
        Assert.Equal("Type 'help' for the commands.", rows[bannerRow + 1]);
        Assert.Equal("tessera>", rows[bannerRow + 2]);
        Assert.True(screen.ReadCell(9, bannerRow + 2).HasCursor);

        // Serial carries the same colors as ANSI escapes (QemuRun.Serial strips them; the log file has them).
        string raw = File.ReadAllText(run.SerialLogPath);
        Assert.Contains("[boot] serial port COM1: \x1b[92mok\x1b[39m\r\n", raw);
        Assert.Contains("\x1b[96m" + banner.Value.TrimEnd('\r') + "\x1b[39m\r\n", raw);
    }

    [Fact]
    public async Task ScaleTwo_OnBochsDisplayAndPcMachine_DrawsThe16x32Glyphs()
    {
        await using QemuRun run = QemuRun.Start(new BootOptions
        {
            Name = "console-scale2",
            Esp = Repository.ReleaseEsp,
            Config = "console.scale = 2\n",
            MachineType = "pc",
            DisplayDevice = "bochs-display",
        });
        Match banner = await run.WaitForSerialAsync(BannerPattern);
        var screen = new ConsoleScreen(await run.ScreenshotAsync("scale2"), scale: 2);
        string[] rows = screen.ReadRows();

        Assert.Equal(16, screen.Font.Width);
        Assert.Contains($"{screen.Columns}x{screen.Rows} text", banner.Value);
        Assert.Contains(rows, row => row.StartsWith("[boot] framebuffer console: ok, ", StringComparison.Ordinal));
        Assert.Contains(banner.Value.TrimEnd('\r'), rows);
    }

    [Fact]
    public async Task AfterAThousandLines_TheLastScreenfulOnScreen_MatchesTheLastLinesOnSerial()
    {
        await using QemuRun run = StartHalting("console-scroll-screen", "ktest.suite=console-scroll");
        await run.WaitForSerialAsync(@"^\[ktest\] halted", TimeSpan.FromSeconds(240));
        Assert.Contains("[ktest] summary 1 0", run.Serial);
        var screen = new ConsoleScreen(await run.ScreenshotAsync("after-1000-lines"), scale: 1);

        string[] expected = ConsoleScreen.ExpectedFromSerial(run.Serial, screen.Columns, screen.Rows);
        string[] actual = screen.ReadRows();
        Assert.Equal(screen.Rows, expected.Length);
        Assert.Contains(expected, line => line.StartsWith("scroll 1000 ", StringComparison.Ordinal));
        Assert.Contains(expected, line => line.EndsWith(" wrapped", StringComparison.Ordinal)); // a wrapped long line is in view
        for (int row = 0; row < screen.Rows; row++)
            Assert.True(expected[row] == actual[row], $"row {row}: serial says \"{expected[row]}\", the screen shows \"{actual[row]}\"");
        Assert.True(screen.ReadCell(0, screen.Rows - 1).HasCursor);
    }

    [Fact]
    public async Task PanicWhileTheConsoleLockIsHeld_IsShownInRed_OnScreenAndSerial()
    {
        const string Test = "ConsoleLockTests.Panic_WhileTheConsoleLockIsHeld_StillGetsItsMessageOut";
        await using QemuRun run = StartHalting("console-panic-screen", "ktest.test=" + Test);
        await run.WaitForSerialAsync(@"^\[ktest\] halted");
        string serial = run.Serial;
        Assert.Contains("PANIC: panic while holding the console lock", serial);
        Assert.Matches(@"  at Panic_WhileTheConsoleLockIsHeld_StillGetsItsMessageOut \(Kernel/Tests/ConsoleLockTests\.cs:\d+\)", serial);
        Assert.Contains("[ktest] pass " + Test, serial);

        var screen = new ConsoleScreen(await run.ScreenshotAsync("panic"), scale: 1);
        string[] rows = screen.ReadRows();
        int panicRow = Array.IndexOf(rows, "PANIC: panic while holding the console lock");
        Assert.True(panicRow > 0, "no panic message on screen; the screen shows:\n" + string.Join("\n", rows));
        Assert.StartsWith("  at Panic_WhileTheConsoleLockIsHeld_StillGetsItsMessageOut (Kernel/Tests/ConsoleLockTests.cs:", rows[panicRow + 1]);
        Rgb red = ColorPalette.ToRgb(TextColor.BrightRed);
        Assert.Equal(new[] { red }, screen.GlyphColors(panicRow, 0, rows[panicRow].Length));
        Assert.Equal(new[] { red }, screen.GlyphColors(panicRow + 1, 0, rows[panicRow + 1].Length));
        Assert.Equal("half an escape sequence:", rows[panicRow - 1]); // the broken sequence before it was dropped
        Assert.Contains(rows, r => r.StartsWith("[ktest] pass " + Test, StringComparison.Ordinal)); // the runner's report after it
    }

    private static QemuRun StartHalting(string name, string arguments) => QemuRun.Start(new BootOptions
    {
        Name = name,
        Esp = Repository.TestEsp,
        Config = "resolution = 1280x800\nargs = " + arguments + " ktest.halt\n",
        Timeout = TimeSpan.FromSeconds(240),
    });
}
