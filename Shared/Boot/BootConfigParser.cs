// Reads the loader's optional config file (kernel.conf beside BOOTX64.EFI):
//
//   # comment
//   resolution = 1280x800        largest GOP mode to choose (default 1920x1080)
//   log = info                   error | warning | info | debug
//   serial = on                  on | off (mirror the console to COM1)
//   console.scale = 0            glyph scale, 0 = choose from the resolution, up to 4
//   allocator = default          default | bump | linked-list | fixed-size-block | tlsf
//   heap.max = 64M               largest kernel heap (default half of RAM; K, M and G suffixes)
//   heap.debug = on              heap debug mode: poison, canaries, bad frees reported (default off)
//   stack = 256K                 kernel stack size (64K minimum; K and M suffixes)
//   timer = 100                  timer interrupts per second, 10 to 1000
//   gc.stress = 97               garbage-collector stress: collect at every 97th allocation (default 0 = off)
//   debug = stale-map-key        fault injection for tests (none by default)
//   args = ktest.suite=main      free-form kernel arguments (rest of the line)
//
// A malformed line, an unknown key or a bad value produces a warning and
// leaves that setting at its default; nothing in the file can stop the boot.
using System;

namespace Shared.Boot;

public enum ConfigWarningKind
{
    MalformedLine,
    UnknownKey,
    InvalidValue,
    ValueTooLong,
}

public struct ConfigWarning
{
    public int Line;
    public ConfigWarningKind Kind;

    /// <summary>The key involved (or the start of the line for malformed lines).</summary>
    public string Key;

    public string Describe() => Kind switch
    {
        ConfigWarningKind.MalformedLine => "line " + Line.ToString() + ": expected 'key = value', found '" + Key + "'",
        ConfigWarningKind.UnknownKey => "line " + Line.ToString() + ": unknown key '" + Key + "'",
        ConfigWarningKind.InvalidValue => "line " + Line.ToString() + ": invalid value for '" + Key + "', using the default",
        _ => "line " + Line.ToString() + ": value of '" + Key + "' is too long, using the default",
    };
}

public static unsafe class BootConfigParser
{
    public const uint DefaultTimerHz = 100;
    public const uint MinimumTimerHz = 10;
    public const uint MaximumTimerHz = 1000;

    /// <summary>Largest gc.stress interval accepted (0 turns stress off).</summary>
    public const uint MaximumGcStress = 1_000_000;

    /// <summary>Smallest heap.max accepted: the kernel's heap must hold its own start-up.</summary>
    public const ulong MinimumHeapMaximum = 4UL << 20;

    public static BootConfig Defaults()
    {
        var config = default(BootConfig);
        config.MaxWidth = 1920;
        config.MaxHeight = 1080;
        config.LogLevel = LogLevel.Info;
        config.SerialEnabled = 1;
        config.ConsoleScale = 0;
        config.Allocator = AllocatorKind.Default;
        config.KernelStackSize = KernelLayout.DefaultKernelStackSize;
        config.TimerHz = DefaultTimerHz;
        return config;
    }

    /// <summary>
    /// Applies the settings in <paramref name="text"/> (ASCII or UTF-8) on top of <paramref name="config"/>. Returns
    /// how many warnings were found; the first ones are stored in <paramref name="warnings"/>.
    /// </summary>
    public static int Parse(ReadOnlySpan<byte> text, ref BootConfig config, Span<ConfigWarning> warnings)
    {
        int warningCount = 0;
        int lineNumber = 0;
        if (text.Length >= 3 && text[0] == 0xEF && text[1] == 0xBB && text[2] == 0xBF)
            text = text.Slice(3); // UTF-8 byte order mark
        while (text.Length > 0)
        {
            lineNumber++;
            int end = text.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = end < 0 ? text : text.Slice(0, end);
            text = end < 0 ? ReadOnlySpan<byte>.Empty : text.Slice(end + 1);

            int comment = line.IndexOf((byte)'#');
            if (comment >= 0)
                line = line.Slice(0, comment);
            line = Trim(line);
            if (line.Length == 0)
                continue;

            int equals = line.IndexOf((byte)'=');
            if (equals <= 0)
            {
                Warn(warnings, ref warningCount, lineNumber, ConfigWarningKind.MalformedLine, line);
                continue;
            }

            ReadOnlySpan<byte> key = Trim(line.Slice(0, equals));
            ReadOnlySpan<byte> value = Trim(line.Slice(equals + 1));
            ConfigWarningKind? problem = Apply(key, value, ref config);
            if (problem is ConfigWarningKind kind)
                Warn(warnings, ref warningCount, lineNumber, kind, key);
        }

        return warningCount;
    }

    private static ConfigWarningKind? Apply(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ref BootConfig config)
    {
        if (Is(key, "resolution"))
        {
            int x = value.IndexOf((byte)'x');
            if (x <= 0 || !TryParseNumber(value.Slice(0, x), out ulong width) || !TryParseNumber(value.Slice(x + 1), out ulong height)
                || width < 320 || height < 200 || width > 16384 || height > 16384)
                return ConfigWarningKind.InvalidValue;
            config.MaxWidth = (uint)width;
            config.MaxHeight = (uint)height;
            return null;
        }

        if (Is(key, "log"))
        {
            if (Is(value, "error"))
                config.LogLevel = LogLevel.Error;
            else if (Is(value, "warning"))
                config.LogLevel = LogLevel.Warning;
            else if (Is(value, "info"))
                config.LogLevel = LogLevel.Info;
            else if (Is(value, "debug"))
                config.LogLevel = LogLevel.Debug;
            else
                return ConfigWarningKind.InvalidValue;
            return null;
        }

        if (Is(key, "serial"))
        {
            if (Is(value, "on"))
                config.SerialEnabled = 1;
            else if (Is(value, "off"))
                config.SerialEnabled = 0;
            else
                return ConfigWarningKind.InvalidValue;
            return null;
        }

        if (Is(key, "console.scale"))
        {
            if (!TryParseNumber(value, out ulong scale) || scale > 4)
                return ConfigWarningKind.InvalidValue;
            config.ConsoleScale = (uint)scale;
            return null;
        }

        if (Is(key, "allocator"))
        {
            if (Is(value, "default"))
                config.Allocator = AllocatorKind.Default;
            else if (Is(value, "bump"))
                config.Allocator = AllocatorKind.Bump;
            else if (Is(value, "linked-list"))
                config.Allocator = AllocatorKind.LinkedList;
            else if (Is(value, "fixed-size-block"))
                config.Allocator = AllocatorKind.FixedSizeBlock;
            else if (Is(value, "tlsf"))
                config.Allocator = AllocatorKind.Tlsf;
            else
                return ConfigWarningKind.InvalidValue;
            return null;
        }

        if (Is(key, "heap.max"))
        {
            if (!TryParseSize(value, out ulong heapMax) || heapMax < MinimumHeapMaximum)
                return ConfigWarningKind.InvalidValue;
            config.HeapMaximum = heapMax;
            return null;
        }

        if (Is(key, "heap.debug"))
        {
            if (Is(value, "on"))
                config.HeapDebug = 1;
            else if (Is(value, "off"))
                config.HeapDebug = 0;
            else
                return ConfigWarningKind.InvalidValue;
            return null;
        }

        if (Is(key, "stack"))
        {
            if (!TryParseSize(value, out ulong size) || size < KernelLayout.MinimumKernelStackSize || size > (64UL << 20))
                return ConfigWarningKind.InvalidValue;
            config.KernelStackSize = (size + KernelLayout.PageSize - 1) & ~(KernelLayout.PageSize - 1);
            return null;
        }

        if (Is(key, "timer"))
        {
            if (!TryParseNumber(value, out ulong hz) || hz < MinimumTimerHz || hz > MaximumTimerHz)
                return ConfigWarningKind.InvalidValue;
            config.TimerHz = (uint)hz;
            return null;
        }

        if (Is(key, "debug"))
        {
            if (Is(value, "stale-map-key"))
                config.DebugFlags |= DebugFlags.StaleMapKey;
            else if (Is(value, "none"))
                config.DebugFlags = DebugFlags.None;
            else
                return ConfigWarningKind.InvalidValue;
            return null;
        }

        if (Is(key, "gc.stress"))
        {
            if (!TryParseNumber(value, out ulong interval) || interval > MaximumGcStress)
                return ConfigWarningKind.InvalidValue;
            config.GcStress = (uint)interval;
            return null;
        }

        if (Is(key, "args"))
        {
            if (value.Length >= BootConfig.ArgumentsCapacity)
                return ConfigWarningKind.ValueTooLong;
            fixed (byte* arguments = config.Arguments)
            {
                var destination = new Span<byte>(arguments, BootConfig.ArgumentsCapacity);
                destination.Clear();
                value.CopyTo(destination);
            }

            return null;
        }

        return ConfigWarningKind.UnknownKey;
    }

    /// <summary>A decimal number with an optional K or M suffix (binary units).</summary>
    public static bool TryParseSize(ReadOnlySpan<byte> text, out ulong size)
    {
        size = 0;
        ulong multiplier = 1;
        if (text.Length > 0 && (text[text.Length - 1] == (byte)'K' || text[text.Length - 1] == (byte)'k'))
            multiplier = 1024;
        else if (text.Length > 0 && (text[text.Length - 1] == (byte)'M' || text[text.Length - 1] == (byte)'m'))
            multiplier = 1024 * 1024;
        else if (text.Length > 0 && (text[text.Length - 1] == (byte)'G' || text[text.Length - 1] == (byte)'g'))
            multiplier = 1024 * 1024 * 1024;
        if (multiplier != 1)
            text = text.Slice(0, text.Length - 1);
        if (!TryParseNumber(text, out ulong number) || number > (ulong.MaxValue / multiplier))
            return false;
        size = number * multiplier;
        return true;
    }

    public static bool TryParseNumber(ReadOnlySpan<byte> text, out ulong value)
    {
        value = 0;
        if (text.Length == 0 || text.Length > 18)
            return false;
        foreach (byte c in text)
        {
            if (c < (byte)'0' || c > (byte)'9')
                return false;
            value = (value * 10) + (ulong)(c - '0');
        }

        return true;
    }

    private static bool Is(ReadOnlySpan<byte> text, string expected)
    {
        if (text.Length != expected.Length)
            return false;
        for (int i = 0; i < text.Length; i++)
        {
            byte c = text[i];
            if (c >= (byte)'A' && c <= (byte)'Z')
                c = (byte)(c + 32);
            if (c != expected[i])
                return false;
        }

        return true;
    }

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> text)
    {
        int start = 0;
        int end = text.Length;
        while (start < end && IsSpace(text[start]))
            start++;
        while (end > start && IsSpace(text[end - 1]))
            end--;
        return text.Slice(start, end - start);
    }

    private static bool IsSpace(byte c) => c == (byte)' ' || c == (byte)'\t' || c == (byte)'\r';

    private static void Warn(Span<ConfigWarning> warnings, ref int count, int line, ConfigWarningKind kind, ReadOnlySpan<byte> key)
    {
        if (count < warnings.Length)
        {
            int length = key.Length < 40 ? key.Length : 40;
            Span<char> text = stackalloc char[length];
            for (int i = 0; i < length; i++)
                text[i] = key[i] < 0x80 ? (char)key[i] : '?';
            warnings[count] = new ConfigWarning { Line = line, Kind = kind, Key = new string(text) };
        }

        count++;
    }
}
