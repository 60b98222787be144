// Choosing QEMU's window front end: asks the installed QEMU which display back ends it has
// (`-display help`) and picks gtk, then sdl, then cocoa - only where a display exists
// (DISPLAY or WAYLAND_DISPLAY set, or macOS) and the user did not ask for --headless.
// Without any of them the run is headless and says why, rather than falling back to
// QEMU's default (a VNC server nobody asked for).
// Shared by build.cake (#load) and the tests, so it has no namespace and uses only the base class library.
using System;
using System.Collections.Generic;
using System.Linq;

/// <summary>What the run shows: <see cref="Backend"/> (gtk, sdl, cocoa) or null for headless, and why.</summary>
public sealed record DisplayChoice(string Backend, string Reason)
{
    public bool Window => Backend is not null;
}

public static class QemuDisplay
{
    /// <summary>Window back ends in order of preference.</summary>
    public static readonly IReadOnlyList<string> Preferred = new[] { "gtk", "sdl", "cocoa" };

    /// <summary>What to install for a window, per platform (printed when none is available).</summary>
    public const string WindowPackageHint =
        "install QEMU's window front end: Debian/Ubuntu 'apt-get install qemu-system-gui', Fedora 'dnf install qemu-ui-gtk' (or qemu-ui-sdl), " +
        "Arch 'pacman -S qemu-ui-gtk' (or qemu-ui-sdl), macOS Homebrew 'brew install qemu' (cocoa is built in)";

    /// <summary>The back-end names in the output of `qemu-system-x86_64 -display help`.</summary>
    public static IReadOnlyList<string> ParseHelp(string output)
    {
        var backends = new List<string>();
        foreach (string raw in (output ?? "").Split('\n'))
        {
            string line = raw.Trim();
            // The first line is a heading ("Available display backend types:"); names are single words.
            if (line.Length == 0 || line.EndsWith(":", StringComparison.Ordinal) || line.Contains(' '))
                continue;
            backends.Add(line);
        }

        return backends;
    }

    /// <summary>
    /// The pure decision. <paramref name="available"/>: QEMU's back ends; <paramref name="display"/> and
    /// <paramref name="waylandDisplay"/>: the environment variables; <paramref name="isMacOS"/>: cocoa needs no variable.
    /// </summary>
    public static DisplayChoice Choose(IReadOnlyCollection<string> available, string display, string waylandDisplay, bool isMacOS, bool headless)
    {
        if (headless)
            return new DisplayChoice(null, "headless (--headless)");
        bool hasDisplay = !string.IsNullOrEmpty(display) || !string.IsNullOrEmpty(waylandDisplay) || isMacOS;
        if (!hasDisplay)
            return new DisplayChoice(null, "headless: no display (neither DISPLAY nor WAYLAND_DISPLAY is set)");

        foreach (string backend in Preferred)
        {
            // cocoa exists only on macOS; gtk and sdl need an X or Wayland display there too.
            bool usable = backend == "cocoa" ? isMacOS : !string.IsNullOrEmpty(display) || !string.IsNullOrEmpty(waylandDisplay);
            if (usable && available.Contains(backend))
                return new DisplayChoice(backend, "window: " + backend);
        }

        string found = available.Count == 0 ? "none" : string.Join(", ", available);
        return new DisplayChoice(null,
            $"headless: a display exists, but this QEMU has no window back end (gtk, sdl or cocoa; it has: {found}); {WindowPackageHint}");
    }

    /// <summary>Runs `<paramref name="executable"/> -display help` and returns the back ends it lists (empty if QEMU cannot be run).</summary>
    public static IReadOnlyList<string> QueryBackends(string executable)
    {
        // QEMU 7.2 also complains on stderr about a "ui-ui-none" module: only stdout lists back ends.
        (int ExitCode, string Output)? help = ToolOutput.Run(executable, "-display", "help");
        return help is null ? Array.Empty<string>() : ParseHelp(help.Value.Output);
    }

    /// <summary>Queries QEMU and the environment of this process.</summary>
    public static DisplayChoice Detect(string executable, bool headless)
    {
        if (headless)
            return Choose(Array.Empty<string>(), null, null, false, headless: true);
        return Choose(
            QueryBackends(executable).ToArray(),
            Environment.GetEnvironmentVariable("DISPLAY"),
            Environment.GetEnvironmentVariable("WAYLAND_DISPLAY"),
            OperatingSystem.IsMacOS(),
            headless: false);
    }
}
