// Which window QEMU gets (tools/Qemu/QemuDisplay.cs): every combination of installed back ends
// and display variables, and parsing QEMU's own list.
using Xunit;

namespace Host.Tests.Qemu;

public sealed class QemuDisplayTests
{
    private static readonly string[] s_withGui = { "none", "gtk", "sdl", "egl-headless", "curses", "spice-app", "dbus" };
    private static readonly string[] s_withoutGui = { "none", "egl-headless", "curses", "dbus" };

    [Fact]
    public void ParseHelp_ReadsQemu72Output()
    {
        // As Debian's QEMU 7.2 prints it (stdout) with qemu-system-gui installed.
        const string Output = "Available display backend types:\nnone\ngtk\nsdl\negl-headless\ncurses\nspice-app\ndbus\n";
        Assert.Equal(s_withGui, QemuDisplay.ParseHelp(Output));
    }

    [Fact]
    public void ParseHelp_IgnoresNoise()
        => Assert.Equal(new[] { "none", "curses" }, QemuDisplay.ParseHelp("Available display backend types:\r\nnone\r\n\r\ncurses\r\nqemu: module ui-ui-none not found, do you want to install qemu-system-gui package?\n"));

    public static TheoryData<string[], string, string, bool, string> Cases => new()
    {
        // back ends, DISPLAY, WAYLAND_DISPLAY, macOS -> chosen back end (null = headless)
        { s_withGui, ":0", null, false, "gtk" },
        { s_withGui, null, "wayland-0", false, "gtk" },
        { s_withGui, ":0", "wayland-0", false, "gtk" },
        { new[] { "none", "sdl", "curses" }, ":0", null, false, "sdl" },
        { new[] { "none", "sdl" }, null, "wayland-0", false, "sdl" },
        { new[] { "none", "cocoa" }, null, null, true, "cocoa" },
        { new[] { "none", "sdl", "cocoa" }, null, null, true, "cocoa" },
        { new[] { "none", "gtk", "cocoa" }, ":0", null, true, "gtk" },
        { s_withGui, null, null, false, null },
        { s_withGui, "", "", false, null },
        { s_withoutGui, ":0", null, false, null },
        { new[] { "none", "cocoa" }, ":0", null, false, null },
        { System.Array.Empty<string>(), ":0", null, false, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Choose_PrefersGtkThenSdlThenCocoa_OnlyWhereADisplayExists(string[] backends, string display, string wayland, bool macOS, string expected)
    {
        DisplayChoice choice = QemuDisplay.Choose(backends, display, wayland, macOS, headless: false);
        Assert.Equal(expected, choice.Backend);
        Assert.Equal(expected is not null, choice.Window);
    }

    [Fact]
    public void Choose_WithoutAWindowBackEnd_SaysSoAndNamesThePackages()
    {
        DisplayChoice choice = QemuDisplay.Choose(s_withoutGui, ":0", null, false, headless: false);
        Assert.StartsWith("headless: a display exists, but this QEMU has no window back end", choice.Reason);
        Assert.Contains("none, egl-headless, curses, dbus", choice.Reason);
        Assert.Contains("qemu-system-gui", choice.Reason);
        Assert.Contains("qemu-ui-gtk", choice.Reason);
        Assert.Contains("brew install qemu", choice.Reason);
    }

    [Fact]
    public void Choose_WithoutADisplay_SaysSo()
        => Assert.Contains("neither DISPLAY nor WAYLAND_DISPLAY", QemuDisplay.Choose(s_withGui, null, null, false, headless: false).Reason);

    [Fact]
    public void Choose_Headless_WinsOverEverything()
    {
        DisplayChoice choice = QemuDisplay.Choose(s_withGui, ":0", "wayland-0", true, headless: true);
        Assert.Null(choice.Backend);
        Assert.Contains("--headless", choice.Reason);
    }
}
