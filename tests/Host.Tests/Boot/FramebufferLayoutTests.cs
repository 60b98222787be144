// Framebuffer descriptions from GOP modes: fixed RGB/BGR layouts, shifts and
// widths computed from bit masks, and the framebuffers that are refused.
using Shared.Boot;
using Xunit;

namespace Host.Tests.Boot;

public sealed class FramebufferLayoutTests
{
    private const ulong Base = 0x8000_0000;

    private static FramebufferInfo Describe(GraphicsMode mode, ulong size = 64 << 20)
    {
        Assert.Equal(FramebufferError.None, FramebufferLayout.Describe(mode, Base, size, out FramebufferInfo info));
        return info;
    }

    [Fact]
    public void Bgr_Has8BitChannels_BlueLowest()
    {
        FramebufferInfo fb = Describe(new GraphicsMode(3, 1280, 800, 1280, GopPixelFormat.BlueGreenRedReserved));
        Assert.Equal(PixelFormat.Bgrx, fb.Format);
        Assert.Equal((0x00FF_0000u, 0x0000_FF00u, 0x0000_00FFu, 0xFF00_0000u), (fb.RedMask, fb.GreenMask, fb.BlueMask, fb.ReservedMask));
        Assert.Equal((16, 8, 0, 24), ((int)fb.RedShift, (int)fb.GreenShift, (int)fb.BlueShift, (int)fb.ReservedShift));
        Assert.Equal((8, 8, 8), ((int)fb.RedSize, (int)fb.GreenSize, (int)fb.BlueSize));
        Assert.Equal(4u, fb.BytesPerPixel);
        Assert.Equal((1280u, 800u, 1280u, Base), (fb.Width, fb.Height, fb.Stride, fb.PhysicalBase));
    }

    [Fact]
    public void Rgb_Has8BitChannels_RedLowest()
    {
        FramebufferInfo fb = Describe(new GraphicsMode(0, 1024, 768, 1024, GopPixelFormat.RedGreenBlueReserved));
        Assert.Equal(PixelFormat.Rgbx, fb.Format);
        Assert.Equal((0, 8, 16), ((int)fb.RedShift, (int)fb.GreenShift, (int)fb.BlueShift));
    }

    [Fact]
    public void BitMask565_GivesShiftsFromTheMasks_AndTwoBytesPerPixel()
    {
        FramebufferInfo fb = Describe(new GraphicsMode(1, 800, 600, 800, GopPixelFormat.BitMask, 0xF800, 0x07E0, 0x001F, 0));
        Assert.Equal(PixelFormat.Bitmask, fb.Format);
        Assert.Equal((11, 5, 0), ((int)fb.RedShift, (int)fb.GreenShift, (int)fb.BlueShift));
        Assert.Equal((5, 6, 5, 0), ((int)fb.RedSize, (int)fb.GreenSize, (int)fb.BlueSize, (int)fb.ReservedSize));
        Assert.Equal(2u, fb.BytesPerPixel);
    }

    [Fact]
    public void BitMask10BitChannels_AndA24BitFormat()
    {
        FramebufferInfo deep = Describe(new GraphicsMode(1, 800, 600, 800, GopPixelFormat.BitMask, 0x3FF0_0000, 0x000F_FC00, 0x0000_03FF, 0xC000_0000));
        Assert.Equal((20, 10, 0, 30), ((int)deep.RedShift, (int)deep.GreenShift, (int)deep.BlueShift, (int)deep.ReservedShift));
        Assert.Equal(4u, deep.BytesPerPixel);

        FramebufferInfo packed = Describe(new GraphicsMode(1, 800, 600, 800, GopPixelFormat.BitMask, 0xFF_0000, 0x00_FF00, 0x00_00FF, 0));
        Assert.Equal(3u, packed.BytesPerPixel);
    }

    [Theory]
    [InlineData(0xF800u, 0x0FE0u, 0x001Fu, 0u)]     // green overlaps red
    [InlineData(0xF0F0u, 0x0700u, 0x000Fu, 0u)]     // red is not one run of bits
    [InlineData(0u, 0x07E0u, 0x001Fu, 0u)]          // no red
    [InlineData(0xF800u, 0x07E0u, 0x001Fu, 0x1u)]   // reserved overlaps blue
    public void BadBitMasks_AreRejected(uint red, uint green, uint blue, uint reserved)
    {
        var mode = new GraphicsMode(1, 800, 600, 800, GopPixelFormat.BitMask, red, green, blue, reserved);
        Assert.Equal(FramebufferError.BadMasks, FramebufferLayout.Describe(mode, Base, 64 << 20, out FramebufferInfo info));
        Assert.Equal(PixelFormat.None, info.Format);
    }

    [Fact]
    public void FramebufferSmallerThanStrideTimesHeight_IsRejected()
    {
        var mode = new GraphicsMode(1, 1000, 100, 1024, GopPixelFormat.BlueGreenRedReserved);
        Assert.Equal(FramebufferError.TooSmall, FramebufferLayout.Describe(mode, Base, (1024 * 100 * 4) - 1, out _));
        Assert.Equal(FramebufferError.None, FramebufferLayout.Describe(mode, Base, 1024 * 100 * 4, out _));
    }

    [Fact]
    public void BltOnlyMode_OrNoAddress_MeansNoFramebuffer()
    {
        Assert.Equal(FramebufferError.NoFramebuffer, FramebufferLayout.Describe(new GraphicsMode(0, 1280, 800, 1280, GopPixelFormat.BltOnly), Base, 64 << 20, out _));
        Assert.Equal(FramebufferError.NoAddress, FramebufferLayout.Describe(new GraphicsMode(0, 1280, 800, 1280, GopPixelFormat.BlueGreenRedReserved), 0, 64 << 20, out _));
    }

    [Fact]
    public void Describe_SaysSerialOnly_WithoutAFramebuffer()
    {
        Assert.Contains("serial port only", default(FramebufferInfo).Describe());
        FramebufferInfo fb = Describe(new GraphicsMode(3, 1280, 800, 1280, GopPixelFormat.BlueGreenRedReserved));
        fb.VirtualBase = KernelLayout.FramebufferBase;
        Assert.Equal("1280x800, stride 1280, 32-bit BGR, at 0x80000000", fb.Describe());
    }
}
