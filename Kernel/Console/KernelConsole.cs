// The kernel's console: text on the framebuffer (a TextScreen over the GOP
// framebuffer) mirrored to the serial port, so a person at the screen and a
// program on the serial line see the same thing. Colors are ANSI escapes in
// the text itself (SetForeground and friends write them), which the screen
// interprets and a serial terminal shows as they are.
//
// Every write takes one interrupt-safe lock around both outputs, so lines from
// an interrupt handler never tear another line. The panic path must not wait
// for that lock (the panic may come from inside a console write): it calls
// TakeOverForPanic, after which writes bypass the lock.
//
// Before Initialize (and on machines without a usable framebuffer) the console
// is the serial port alone.
using System;
using Kernel.Drivers;
using Kernel.Input;
using Kernel.Sync;
using Shared.Boot;
using Shared.Console;

namespace Kernel.Console;

public static unsafe class KernelConsole
{
    private static readonly SpinLock s_lock = new("console");
    private static TextScreen s_screen;
    private static bool s_serialMirror = true;
    private static bool s_takenOver;

    /// <summary>The text screen, or null when output goes to serial only.</summary>
    public static TextScreen Screen => s_screen;

    public static bool HasScreen => s_screen is not null;

    /// <summary>Whether output is copied to COM1 (kernel.conf "serial = off" turns it off).</summary>
    public static bool SerialMirror => s_serialMirror;

    /// <summary>The lock every write takes (tests hold it to play a fault inside a console write).</summary>
    internal static SpinLock Lock => s_lock;

    /// <summary>
    /// Opens the framebuffer console described by the boot information. Returns the boot-log status: what the
    /// screen became, or why there is none.
    /// </summary>
    public static string Initialize(BootInfo* bootInfo)
    {
        s_serialMirror = bootInfo->Config.SerialEnabled != 0;
        FramebufferInfo info = bootInfo->Framebuffer;
        if (!Framebuffer.TryOpen(info, bootInfo, out PixelSurface surface, out string problem))
            return "absent (" + problem + "), serial only";

        uint configured = bootInfo->Config.ConsoleScale;
        int scale = configured == 0 ? Fonts.AutomaticScale(surface.Width) : (int)configured;
        BitmapFont font = Fonts.ForScale(scale, out int pixelScale);
        var renderer = new GlyphRenderer(surface, font, pixelScale);
        if (surface.Width < renderer.CellWidth || surface.Height < renderer.CellHeight)
            return "absent (screen smaller than one character), serial only";

        using (s_lock.Acquire())
            s_screen = new TextScreen(renderer);
        return "ok, " + info.Width.ToString() + "x" + info.Height.ToString() + " " + Framebuffer.FormatName(info.Format)
            + ", " + s_screen.Columns.ToString() + "x" + s_screen.Rows.ToString() + " characters, " + font.Name
            + (pixelScale > 1 ? " x" + pixelScale.ToString() : "");
    }

    public static void Write(ReadOnlySpan<char> text)
    {
        if (s_takenOver)
        {
            WriteUnlocked(text);
            return;
        }

        using (s_lock.Acquire())
            WriteUnlocked(text);
    }

    public static void Write(string text) => Write(text.AsSpan());

    public static void Write(char c) => Write(new ReadOnlySpan<char>(in c));

    /// <summary>Writes $"..." without allocating: see InterpolatedTextHandler for what holes may hold.</summary>
    public static void Write(ref InterpolatedTextHandler<ConsoleSink> text) => text.Flush();

    public static void WriteLine() => Write('\n');

    /// <summary>Writes the text and the line end as one piece: no other output can come between them.</summary>
    public static void WriteLine(ReadOnlySpan<char> text)
    {
        if (s_takenOver)
        {
            WriteUnlocked(text);
            WriteUnlocked("\n");
            return;
        }

        using (s_lock.Acquire())
        {
            WriteUnlocked(text);
            WriteUnlocked("\n");
        }
    }

    public static void WriteLine(string text) => WriteLine(text.AsSpan());

    public static void WriteLine(ref InterpolatedTextHandler<ConsoleSink> text)
    {
        text.AppendFormatted('\n');
        text.Flush();
    }

    /// <summary>Writes <paramref name="text"/> in <paramref name="color"/>, then returns to the default foreground.</summary>
    public static void Write(ReadOnlySpan<char> text, TextColor color)
    {
        Span<char> start = stackalloc char[8];
        Span<char> end = stackalloc char[8];
        int startLength = Sgr(start, ForegroundCode(color));
        int endLength = Sgr(end, 39);
        if (s_takenOver)
        {
            WriteUnlocked(start.Slice(0, startLength));
            WriteUnlocked(text);
            WriteUnlocked(end.Slice(0, endLength));
            return;
        }

        using (s_lock.Acquire())
        {
            WriteUnlocked(start.Slice(0, startLength));
            WriteUnlocked(text);
            WriteUnlocked(end.Slice(0, endLength));
        }
    }

    public static void SetForeground(TextColor color) => WriteSgr(ForegroundCode(color));

    public static void SetBackground(TextColor color) => WriteSgr(color < TextColor.DarkGray ? 40 + (int)color : 100 + (int)color - 8);

    /// <summary>Back to the default colors (SGR 0).</summary>
    public static void ResetColors() => WriteSgr(0);

    /// <summary>Clears the screen and homes the cursor (ESC[2J ESC[H, which a serial terminal obeys as well).</summary>
    public static void Clear() => Write("\x1b[2J\x1b[H");

    /// <summary>Draws status text at a fixed screen cell, on the screen only (not on serial); see TextScreen.WriteAt.</summary>
    public static void WriteAt(int column, int row, ReadOnlySpan<char> text, TextColor foreground, TextColor background)
    {
        if (s_screen is null || s_takenOver)
            return;
        using (s_lock.Acquire())
            s_screen.WriteAt(column, row, text, foreground, background);
    }

    public static bool TryReadKey(out KeyPress key) => ConsoleInput.TryReadKey(out key);

    public static KeyPress ReadKey() => ConsoleInput.ReadKey();

    /// <summary>
    /// For the panic path, with interrupts already off: from now on writes no longer wait for the lock (its holder
    /// may be the code that faulted), the screen forgets any half-done escape sequence and the serial port is made
    /// to send again (and is used even if mirroring was turned off). The console stays usable, so the panic
    /// message and the test runner's report get out.
    /// </summary>
    public static void TakeOverForPanic()
    {
        s_takenOver = true;
        s_serialMirror = true;
        SerialPort.Com1.RecoverForPanic();
        s_screen?.Recover();
        SerialPort.Com1.Write("\x1b[0m");
    }

    /// <summary>True once the panic path owns the console.</summary>
    public static bool IsTakenOver => s_takenOver;

    // Serial first: if drawing faults, the text has already left the machine.
    private static void WriteUnlocked(ReadOnlySpan<char> text)
    {
        if (s_serialMirror || s_screen is null)
            SerialPort.Com1.Write(text);
        s_screen?.Write(text);
    }

    private static void WriteSgr(int code)
    {
        Span<char> sequence = stackalloc char[8];
        Write(sequence.Slice(0, Sgr(sequence, code)));
    }

    private static int ForegroundCode(TextColor color) => color < TextColor.DarkGray ? 30 + (int)color : 90 + (int)color - 8;

    // "ESC [ code m" into 'destination'; returns its length.
    private static int Sgr(Span<char> destination, int code)
    {
        destination[0] = '\x1b';
        destination[1] = '[';
        code.TryFormat(destination.Slice(2), out int digits);
        destination[2 + digits] = 'm';
        return 3 + digits;
    }
}
