// Fitting the QEMU window to the screen (tools/Qemu/ScreenFit.cs): reading the screen size and
// the resolution limit written into the run's kernel.conf.
using Xunit;

namespace Host.Tests.Qemu;

public sealed class ScreenFitTests
{
    [Fact]
    public void ParseXdpyinfo_ReadsTheScreenDimensions()
    {
        const string Output = "name of display:    :90\nscreen #0:\n  dimensions:    1280x1024 pixels (338x270 millimeters)\n  resolution:    96x96 dots per inch\n";
        Assert.Equal((1280, 1024), ScreenFit.ParseXdpyinfo(Output));
        Assert.Null(ScreenFit.ParseXdpyinfo("xdpyinfo:  unable to open display \":5\".\n"));
        Assert.Null(ScreenFit.ParseXdpyinfo(null));
    }

    [Theory]
    [InlineData(1920, 1080, 1904, 960)]
    [InlineData(1366, 768, 1350, 648)]
    [InlineData(1280, 1024, 1264, 904)]
    [InlineData(600, 400, 640, 480)]
    public void Limit_LeavesRoomForTheWindowsFrameAndMenu(int screenWidth, int screenHeight, int width, int height)
        => Assert.Equal((width, height), ScreenFit.Limit(screenWidth, screenHeight));

    [Fact]
    public void FittedConf_AddsTheLimit_ToNothingOrToTheUsersConf()
    {
        Assert.StartsWith("resolution = 1904x960 ", ScreenFit.FittedConf(null, 1920, 1080));
        string conf = ScreenFit.FittedConf("timer = 250", 1920, 1080);
        Assert.StartsWith("timer = 250\nresolution = 1904x960 ", conf);
        Assert.True(ScreenFit.SetsResolution(conf));
    }

    [Theory]
    [InlineData("resolution = 1024x768\n")]
    [InlineData("timer = 250\n  Resolution=800x600\n")]
    public void FittedConf_LeavesAResolutionTheUserSetAlone(string conf)
    {
        Assert.True(ScreenFit.SetsResolution(conf));
        Assert.Equal(conf, ScreenFit.FittedConf(conf, 1920, 1080));
    }

    [Fact]
    public void SetsResolution_IgnoresComments()
        => Assert.False(ScreenFit.SetsResolution("# resolution = 1024x768\ntimer = 100\n"));
}
