// The kernel console on the real framebuffer: what is written lands in the
// screen's grid (and, through TextScreen, in its pixels), interpolated
// strings are formatted without allocating, colors set through the API reach
// the cells, and a thousand lines scroll with the last screenful intact.
// tests/Boot.Tests/ConsoleScreenTests.cs checks the same screens from outside,
// through QEMU's screendump.
using System;
using Internal.Runtime;
using Kernel.Console;
using Kernel.Testing;
using Shared.Console;

namespace Kernel.Tests;

internal static unsafe class ConsoleTests
{
    /// <summary>Lines the thousand-line test prints; the boot test rebuilds the same text.</summary>
    public const int ScrollLines = 1000;

    [KernelTest]
    public static void Console_WriteLine_ShowsTheLineInTheScreenGrid()
    {
        TextScreen screen = RequireScreen();
        KernelConsole.WriteLine("console grid check: caf\u00E9 \u2502 \u2588");
        Assert.Equal(0, screen.CursorColumn);
        Assert.Equal("console grid check: caf\u00E9 \u2502 \u2588", screen.RowText(screen.CursorRow - 1));
    }

    [KernelTest]
    public static void Console_InterpolatedWrite_FormatsEverythingWithoutAllocating()
    {
        TextScreen screen = RequireScreen();
        int negative = -1234;
        ulong address = 0xFFFF_8000_0000_1000;
        void* pointer = (void*)0xB8000;
        ReadOnlySpan<char> span = "span".AsSpan();

        ulong before = RuntimeAllocator.AllocationCount;
        KernelConsole.WriteLine($"fmt {negative} {address:X16} {pointer} {true} {'c'} {span} [{42,5}] [{7,-3}] {255:x4}");
        ulong allocations = RuntimeAllocator.AllocationCount - before;

        Assert.Equal(0UL, allocations);
        Assert.Equal("fmt -1234 FFFF800000001000 0x00000000000B8000 True c span [   42] [7  ] 00ff", screen.RowText(screen.CursorRow - 1));
    }

    [KernelTest]
    public static void Console_ColorsFromTheApi_ReachTheCells_AndAreResetAfterwards()
    {
        TextScreen screen = RequireScreen();
        KernelConsole.Write("plain ");
        KernelConsole.Write("green", TextColor.Green);
        KernelConsole.SetBackground(TextColor.Blue);
        KernelConsole.Write("X");
        KernelConsole.ResetColors();
        KernelConsole.WriteLine("!");

        int row = screen.CursorRow - 1;
        Assert.Equal("plain greenX!", screen.RowText(row));
        Assert.True(screen[0, row].Foreground == ColorPalette.DefaultForeground);
        Assert.True(screen[6, row].Foreground == TextColor.Green);
        Assert.True(screen[11, row].Background == TextColor.Blue);
        Assert.True(screen[11, row].Foreground == ColorPalette.DefaultForeground);
        Assert.True(screen[12, row].Background == ColorPalette.DefaultBackground);
    }

    [KernelTest]
    public static void Console_Write_TakesTheLockWithInterruptsOff_AndReleasesIt()
    {
        Assert.False(KernelConsole.Lock.IsHeld);
        using (KernelConsole.Lock.Acquire())
        {
            Assert.True(KernelConsole.Lock.IsHeld);
            Assert.False(Arch.Cpu.InterruptsEnabled);
        }

        KernelConsole.WriteLine("after the lock");
        Assert.False(KernelConsole.Lock.IsHeld);
    }

    // A suite of its own: its boot is also screenshotted by ConsoleScreenTests, and 1000 scrolls take a while.
    [KernelTest(Suite = "console-scroll")]
    public static void Scroll_AThousandLines_LeavesTheLastScreenfulInTheGrid()
    {
        TextScreen screen = RequireScreen();
        for (int i = 1; i <= ScrollLines; i++)
            KernelConsole.WriteLine(ScrollLine(i));

        // The cursor sits on the empty row below the last line; wrapped long lines take two rows.
        Assert.Equal(screen.Rows - 1, screen.CursorRow);
        Assert.Equal("", screen.RowText(screen.Rows - 1));
        int row = screen.Rows - 2;
        for (int i = ScrollLines; row >= 0; i--)
        {
            string line = ScrollLine(i);
            int rows = Math.Max(1, (line.Length + screen.Columns - 1) / screen.Columns);
            for (int part = rows - 1; part >= 0 && row >= 0; part--, row--)
            {
                int start = part * screen.Columns;
                Assert.Equal(line.Substring(start, Math.Min(screen.Columns, line.Length - start)).TrimEnd(), screen.RowText(row));
            }
        }
    }

    /// <summary>Line i of the scroll test: numbered, with Latin-1 and box drawing, every 97th long enough to wrap.</summary>
    public static string ScrollLine(int i)
    {
        const string Alphabet = "abcdefghijklmnopqrstuvwxyz\u00E9\u00FC\u00DF0123456789\u2500\u253C\u00A9!?#+";
        string text = "scroll " + i.ToString().PadLeft(4, '0') + " \u2502 " + Alphabet.Substring(i % 20, 10 + (i % 17)); // start + length <= 19 + 26 < Alphabet.Length
        if (i % 97 == 0)
            text = text + " " + new string('=', 170) + " wrapped";
        return text;
    }

    private static TextScreen RequireScreen()
    {
        TextScreen screen = KernelConsole.Screen;
        Assert.NotNull(screen, "the boot tests run QEMU with a display: the console must have a screen");
        return screen;
    }
}
