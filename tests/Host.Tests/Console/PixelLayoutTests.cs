// PixelLayout: how colors become pixel values for every format GOP can report.
using Shared.Console;
using Xunit;

namespace Host.Tests.Console;

public sealed class PixelLayoutTests
{
    private static readonly Rgb s_orange = new(0xFF, 0x80, 0x10);

    [Fact]
    public void Rgbx_StoresRedInTheFirstByte()
    {
        uint pixel = PixelLayout.Rgbx.Encode(s_orange);
        Assert.Equal(new byte[] { 0xFF, 0x80, 0x10, 0x00 }, BitConverter.GetBytes(pixel));
    }

    [Fact]
    public void Bgrx_StoresBlueInTheFirstByte()
    {
        uint pixel = PixelLayout.Bgrx.Encode(s_orange);
        Assert.Equal(new byte[] { 0x10, 0x80, 0xFF, 0x00 }, BitConverter.GetBytes(pixel));
    }

    [Fact]
    public void Bitmask565_ScalesChannelsToTheirWidths()
    {
        Assert.True(PixelLayout.TryFromMasks(0xF800, 0x07E0, 0x001F, 2, out PixelLayout layout));
        Assert.Equal(0xFFFFu, layout.Encode(new Rgb(255, 255, 255)));
        Assert.Equal(0xF800u, layout.Encode(new Rgb(255, 0, 0)));
        Assert.Equal(0x0000u, layout.Encode(new Rgb(0, 0, 0)));
        Assert.Equal((uint)(16 << 5), layout.Encode(new Rgb(0, 0x41, 0)) & 0x07E0); // 0x41 * 63 / 255 = 16.06
    }

    [Fact]
    public void Bitmask24Bit_IsAThreeBytePixel()
    {
        Assert.True(PixelLayout.TryFromMasks(0xFF0000, 0x00FF00, 0x0000FF, 3, out PixelLayout layout));
        Assert.Equal(3, layout.BytesPerPixel);
        Assert.Equal(0xFF8010u, layout.Encode(s_orange));
    }

    [Theory]
    [InlineData(0u, 0xFF00u, 0xFFu, 4)]                // an empty channel
    [InlineData(0xF0F0u, 0x0F00u, 0x000Fu, 4)]         // a channel with a gap
    [InlineData(0xFF00u, 0xFF00u, 0x00FFu, 4)]         // overlapping channels
    [InlineData(0xFF000000u, 0xFF00u, 0xFFu, 3)]       // a channel outside a 3-byte pixel
    [InlineData(0xFF0000u, 0xFF00u, 0xFFu, 1)]         // an unsupported pixel size
    [InlineData(0xFFFF8000u, 0xFFu, 0xF00u, 4)]          // a channel wider than 16 bits
    public void TryFromMasks_RejectsLayoutsTheConsoleCannotDraw(uint red, uint green, uint blue, int bytesPerPixel)
        => Assert.False(PixelLayout.TryFromMasks(red, green, blue, bytesPerPixel, out _));

    [Fact]
    public void Decode_InvertsEncode_ForEveryPaletteColor()
    {
        Assert.True(PixelLayout.TryFromMasks(0x3FF00000, 0x000FFC00, 0x000003FF, 4, out PixelLayout tenBit));
        foreach (PixelLayout layout in new[] { PixelLayout.Rgbx, PixelLayout.Bgrx, tenBit })
        {
            for (int color = 0; color < 16; color++)
            {
                Rgb rgb = ColorPalette.ToRgb((TextColor)color);
                Assert.Equal(rgb, layout.Decode(layout.Encode(rgb)));
            }
        }
    }
}
