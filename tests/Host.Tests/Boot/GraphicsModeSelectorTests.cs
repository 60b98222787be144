// Which GOP mode the loader picks: the largest within the configured maximum,
// the current one when nothing is better, never a BltOnly mode.
using Shared.Boot;
using Xunit;

namespace Host.Tests.Boot;

public sealed class GraphicsModeSelectorTests
{
    private static GraphicsMode Mode(uint number, uint width, uint height, GopPixelFormat format = GopPixelFormat.BlueGreenRedReserved)
        => new(number, width, height, width, format);

    // The std-VGA list OVMF offers (abridged), current mode 1280x800.
    private static readonly GraphicsMode[] s_vga =
    {
        Mode(0, 640, 480), Mode(1, 800, 600), Mode(2, 1024, 768), Mode(3, 1280, 800), Mode(4, 1280, 1024),
        Mode(5, 1440, 900), Mode(6, 1920, 1080), Mode(7, 2560, 1600),
    };

    [Fact]
    public void Default_PicksTheLargestModeWithin1920x1080()
        => Assert.Equal(6, GraphicsModeSelector.Choose(s_vga, current: 3, 1920, 1080));

    [Theory]
    [InlineData(1024u, 768u, 2)]
    [InlineData(1300u, 1100u, 4)]   // 1280x1024 has more pixels than 1280x800
    [InlineData(1920u, 1200u, 6)]
    [InlineData(4096u, 4096u, 7)]
    public void ConfiguredMaximum_IsNeverExceeded(uint maxWidth, uint maxHeight, int expected)
    {
        int chosen = GraphicsModeSelector.Choose(s_vga, current: 3, maxWidth, maxHeight);
        Assert.Equal(expected, chosen);
        Assert.True(s_vga[chosen].FitsWithin(maxWidth, maxHeight));
    }

    [Fact]
    public void CurrentMode_IsKept_WhenNoBetterModeExists()
    {
        GraphicsMode[] modes = { Mode(0, 800, 600), Mode(1, 1280, 720), Mode(2, 1280, 720) };
        Assert.Equal(2, GraphicsModeSelector.Choose(modes, current: 2, 1920, 1080)); // a tie: no needless switch
    }

    [Fact]
    public void CurrentMode_IsKept_WhenNothingFitsTheMaximum()
    {
        GraphicsMode[] modes = { Mode(0, 1024, 768), Mode(1, 1280, 800) };
        Assert.Equal(1, GraphicsModeSelector.Choose(modes, current: 1, 640, 480));
    }

    [Fact]
    public void SmallestFramebufferMode_IsTaken_WhenNothingFitsAndTheCurrentModeIsBltOnly()
    {
        GraphicsMode[] modes = { Mode(0, 1024, 768), Mode(1, 800, 600), Mode(2, 640, 480, GopPixelFormat.BltOnly) };
        Assert.Equal(1, GraphicsModeSelector.Choose(modes, current: 2, 320, 200));
    }

    [Fact]
    public void BltOnlyModes_AreNeverChosen()
    {
        GraphicsMode[] modes = { Mode(0, 800, 600), Mode(1, 1920, 1080, GopPixelFormat.BltOnly) };
        Assert.Equal(0, GraphicsModeSelector.Choose(modes, current: 1, 1920, 1080));
    }

    [Fact]
    public void OnlyBltOnlyModes_MeanNoFramebuffer()
    {
        // virtio-gpu under OVMF: every mode is BltOnly.
        GraphicsMode[] modes = { Mode(0, 640, 480, GopPixelFormat.BltOnly), Mode(1, 1280, 800, GopPixelFormat.BltOnly) };
        Assert.Equal(-1, GraphicsModeSelector.Choose(modes, current: 1, 1920, 1080));
        Assert.Equal(-1, GraphicsModeSelector.Choose(ReadOnlySpan<GraphicsMode>.Empty, current: -1, 1920, 1080));
    }

    [Fact]
    public void ModesWithAStrideBelowTheWidth_AreIgnored()
    {
        GraphicsMode[] modes = { Mode(0, 800, 600), new GraphicsMode(1, 1024, 768, 1000, GopPixelFormat.BlueGreenRedReserved) };
        Assert.Equal(0, GraphicsModeSelector.Choose(modes, current: 0, 1920, 1080));
    }

    [Fact]
    public void RandomModeLists_AlwaysGiveTheLargestFittingFramebufferMode()
    {
        var random = new Random(4242);
        for (int round = 0; round < 2000; round++)
        {
            var modes = new GraphicsMode[random.Next(1, 12)];
            for (int i = 0; i < modes.Length; i++)
                modes[i] = Mode((uint)i, (uint)random.Next(1, 40) * 64, (uint)random.Next(1, 40) * 48, (GopPixelFormat)random.Next(4));
            int current = random.Next(-1, modes.Length);
            uint maxWidth = (uint)random.Next(320, 2600);
            uint maxHeight = (uint)random.Next(200, 2000);

            int chosen = GraphicsModeSelector.Choose(modes, current, maxWidth, maxHeight);
            GraphicsMode[] fitting = modes.Where(m => m.HasFramebuffer && m.FitsWithin(maxWidth, maxHeight)).ToArray();
            if (fitting.Length > 0)
                Assert.Equal(fitting.Max(m => m.PixelCount), modes[chosen].PixelCount);
            else if (modes.Any(m => m.HasFramebuffer))
                Assert.True(modes[chosen].HasFramebuffer);
            else
                Assert.Equal(-1, chosen);
        }
    }
}
