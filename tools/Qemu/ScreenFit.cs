// Making the QEMU window fit the screen. QEMU's GTK window takes the guest framebuffer's size
// (and its zoom-to-fit mode is no help: with it the window stops following the guest's
// resolution and stays at the firmware's first, small mode, shrinking the console's glyphs).
// So the run picks the guest's resolution instead: it reads the screen size (xdpyinfo) and,
// unless the user's kernel.conf sets `resolution`, caps the loader's mode choice below it,
// leaving room for the title bar, QEMU's menu bar and a desktop panel. The window then shows
// the framebuffer pixel for pixel.
// Shared by build.cake (#load) and the tests, so it has no namespace and uses only the base class library.
using System;
using System.Text.RegularExpressions;

public static class ScreenFit
{
    /// <summary>Room left around the framebuffer: window borders across, title bar + menu bar + panel down.</summary>
    public const int WidthMargin = 16;
    public const int HeightMargin = 120;

    /// <summary>The smallest limit worth setting (the loader falls back to its smallest mode below it anyway).</summary>
    public const int MinWidth = 640;
    public const int MinHeight = 480;

    /// <summary>The screen size in the output of `xdpyinfo` ("dimensions:    1920x1080 pixels ..."), or null.</summary>
    public static (int Width, int Height)? ParseXdpyinfo(string output)
    {
        Match match = Regex.Match(output ?? "", @"^\s*dimensions:\s+(\d+)x(\d+) pixels", RegexOptions.Multiline);
        return match.Success ? (int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value)) : null;
    }

    /// <summary>The largest framebuffer whose window fits a screen of this size.</summary>
    public static (int Width, int Height) Limit(int screenWidth, int screenHeight)
        => (Math.Max(MinWidth, screenWidth - WidthMargin), Math.Max(MinHeight, screenHeight - HeightMargin));

    /// <summary>True when a kernel.conf text sets the resolution itself (then it is left alone).</summary>
    public static bool SetsResolution(string confText)
        => Regex.IsMatch(confText ?? "", @"^\s*resolution\s*=", RegexOptions.Multiline | RegexOptions.IgnoreCase);

    /// <summary>The kernel.conf for a window run: the user's text plus the fitted limit (unless it sets one).</summary>
    public static string FittedConf(string userConf, int screenWidth, int screenHeight)
    {
        if (SetsResolution(userConf))
            return userConf;
        (int width, int height) = Limit(screenWidth, screenHeight);
        string text = userConf ?? "";
        if (text.Length > 0 && !text.EndsWith("\n", StringComparison.Ordinal))
            text += "\n";
        return text + $"resolution = {width}x{height}    # the Run target: fits the {screenWidth}x{screenHeight} screen\n";
    }

    /// <summary>Asks the X server in DISPLAY for its screen size (xdpyinfo, Debian's x11-utils); null when that is not possible.</summary>
    public static (int Width, int Height)? QueryScreen()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DISPLAY")))
            return null;
        (int ExitCode, string Output)? result = ToolOutput.Run("xdpyinfo");
        return result is { ExitCode: 0 } ? ParseXdpyinfo(result.Value.Output) : null;
    }
}
