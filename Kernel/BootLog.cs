// The boot log: one line per start-up stage with its status ("[boot] serial
// port COM1: ok", the status in green when it starts with "ok", in yellow
// otherwise), then the banner with the version, the screen's resolution and
// the memory size (short enough for an 80-column screen). Each line is
// written as one piece.
using Kernel.Console;
using Kernel.Diagnostics;
using Shared.Console;

namespace Kernel;

public static class BootLog
{
    /// <summary>The banner's color (bright cyan, SGR 96); boot tests look for it on the screen.</summary>
    public const TextColor BannerColor = TextColor.BrightCyan;

    private const string Green = "\x1b[92m";
    private const string Yellow = "\x1b[93m";
    private const string Cyan = "\x1b[96m";
    private const string DefaultForeground = "\x1b[39m";

    public static void Stage(string stage, string status)
        => KernelLog.WriteLine($"[boot] {stage}: {(status.StartsWith("ok") ? Green : Yellow)}{status}{DefaultForeground}");

    public static void Banner()
    {
        TextScreen screen = KernelConsole.Screen;
        ulong memoryMiB = KernelState.UsableMemoryBytes / (1024 * 1024);
        if (screen is null)
        {
            KernelLog.WriteLine($"{Cyan}{KernelMain.Name} {KernelMain.Version} (x86_64, UEFI) | no display, serial console | {memoryMiB} MiB memory{DefaultForeground}");
            return;
        }

        PixelSurface surface = screen.Renderer.Surface;
        KernelLog.WriteLine($"{Cyan}{KernelMain.Name} {KernelMain.Version} (x86_64, UEFI) | {surface.Width}x{surface.Height} display, {screen.Columns}x{screen.Rows} text | {memoryMiB} MiB memory{DefaultForeground}");
    }
}
