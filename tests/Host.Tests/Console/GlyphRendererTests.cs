// GlyphRenderer: exact pixels for known glyphs, in every pixel format and scale.
using Shared.Console;
using Xunit;

namespace Host.Tests.Console;

public sealed class GlyphRendererTests
{
    private static readonly Rgb s_red = new(0xFF, 0x00, 0x00);
    private static readonly Rgb s_blue = new(0x00, 0x00, 0xFF);

    public static TheoryData<string> Layouts => new() { "rgbx", "bgrx", "rgb24", "rgb565" };

    private static PixelLayout Layout(string name)
    {
        switch (name)
        {
            case "rgbx":
                return PixelLayout.Rgbx;
            case "bgrx":
                return PixelLayout.Bgrx;
            case "rgb24":
                Assert.True(PixelLayout.TryFromMasks(0xFF0000, 0xFF00, 0xFF, 3, out PixelLayout rgb24));
                return rgb24;
            default:
                Assert.True(PixelLayout.TryFromMasks(0xF800, 0x07E0, 0x001F, 2, out PixelLayout rgb565));
                return rgb565;
        }
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void DrawGlyph_SetsExactlyTheGlyphsPixels_InEveryFormat(string layoutName)
    {
        var framebuffer = new TestFramebuffer(24, 20, Layout(layoutName), padding: 5);
        var renderer = new GlyphRenderer(framebuffer.Surface, Fonts.Cell8x16, 1);
        uint red = framebuffer.Layout.Encode(s_red);
        uint blue = framebuffer.Layout.Encode(s_blue);
        int glyph = Fonts.Cell8x16.GlyphIndex('A');

        renderer.DrawGlyph(8, 2, glyph, red, blue);

        for (int y = 0; y < framebuffer.Height; y++)
        {
            for (int x = 0; x < framebuffer.Width; x++)
            {
                bool inCell = x >= 8 && x < 16 && y >= 2 && y < 18;
                uint pixel = framebuffer.Surface.ReadPixel(x, y);
                if (!inCell)
                    Assert.Equal(0xCDCDCDCDu & PixelMask(framebuffer.Layout), pixel); // untouched
                else
                    Assert.Equal(Fonts.Cell8x16.IsSet(glyph, x - 8, y - 2) ? red : blue, pixel);
            }
        }

        Assert.All(framebuffer.PaddingBytes(), b => Assert.Equal(TestFramebuffer.Sentinel, b));
    }

    [Fact]
    public void Rgbx_And_Bgrx_PutTheRedChannelInOppositeBytes()
    {
        foreach ((PixelLayout layout, int redByte, int blueByte) in new[] { (PixelLayout.Rgbx, 0, 2), (PixelLayout.Bgrx, 2, 0) })
        {
            var framebuffer = new TestFramebuffer(8, 16, layout);
            new GlyphRenderer(framebuffer.Surface, Fonts.Cell8x16, 1).DrawGlyph(0, 0, Fonts.Cell8x16.GlyphIndex('\u2588'), layout.Encode(s_red), 0);
            byte[] firstPixel = framebuffer.Memory[..4];
            Assert.Equal(0xFF, firstPixel[redByte]);
            Assert.Equal(0x00, firstPixel[blueByte]);
            Assert.Equal(0x00, firstPixel[1]);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void DrawGlyph_AtScale_MultipliesEveryFontPixel(int scale)
    {
        var framebuffer = new TestFramebuffer(8 * scale, 16 * scale, PixelLayout.Rgbx);
        var renderer = new GlyphRenderer(framebuffer.Surface, Fonts.Cell8x16, scale);
        int glyph = Fonts.Cell8x16.GlyphIndex('g');
        renderer.DrawGlyph(0, 0, glyph, 0xFFFFFF, 0x000000);
        for (int y = 0; y < framebuffer.Height; y++)
        {
            for (int x = 0; x < framebuffer.Width; x++)
                Assert.Equal(Fonts.Cell8x16.IsSet(glyph, x / scale, y / scale) ? 0xFFFFFFu : 0u, framebuffer.Surface.ReadPixel(x, y));
        }
    }

    [Fact]
    public void DrawGlyph_16x32_DrawsBothBytesOfEachRow()
    {
        var framebuffer = new TestFramebuffer(16, 32, PixelLayout.Bgrx);
        var renderer = new GlyphRenderer(framebuffer.Surface, Fonts.Cell16x32, 1);
        int glyph = Fonts.Cell16x32.GlyphIndex('W');
        renderer.DrawGlyph(0, 0, glyph, 0xFFFFFF, 0x000000);
        int set = 0;
        for (int y = 0; y < 32; y++)
        {
            for (int x = 0; x < 16; x++)
            {
                bool expected = Fonts.Cell16x32.IsSet(glyph, x, y);
                set += expected && x >= 8 ? 1 : 0;
                Assert.Equal(expected ? 0xFFFFFFu : 0u, framebuffer.Surface.ReadPixel(x, y));
            }
        }

        Assert.True(set > 10, "the right half of a 16-pixel 'W' has set pixels");
    }

    [Fact]
    public void ManyColorPairs_EachGlyphStillGetsItsOwnColors()
    {
        // More color pairs than the renderer caches: evicted tables must be rebuilt, not reused.
        var framebuffer = new TestFramebuffer(8 * 10, 16, PixelLayout.Rgbx);
        var renderer = new GlyphRenderer(framebuffer.Surface, Fonts.Cell8x16, 1);
        int glyph = Fonts.Cell8x16.GlyphIndex('\u2588');
        for (int round = 0; round < 2; round++)
        {
            for (int i = 0; i < 10; i++)
                renderer.DrawGlyph(i * 8, 0, glyph, (uint)(0x100 * (i + 1) + round), (uint)i);
            for (int i = 0; i < 10; i++)
                Assert.Equal((uint)(0x100 * (i + 1) + round), framebuffer.Surface.ReadPixel((i * 8) + 3, 8));
        }
    }

    [Fact]
    public void DrawGlyph_OutsideTheSurface_IsRefused()
    {
        var framebuffer = new TestFramebuffer(20, 20, PixelLayout.Rgbx);
        var renderer = new GlyphRenderer(framebuffer.Surface, Fonts.Cell8x16, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => renderer.DrawGlyph(13, 0, 1, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => renderer.DrawGlyph(0, 5, 1, 0, 0));
        Assert.All(framebuffer.Memory, b => Assert.Equal(TestFramebuffer.Sentinel, b));
    }

    private static uint PixelMask(PixelLayout layout) => layout.BytesPerPixel == 4 ? 0xFFFFFFFF : (1u << (layout.BytesPerPixel * 8)) - 1;
}
