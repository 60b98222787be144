// An in-memory framebuffer for host tests: pinned memory (so PixelSurface can
// hold a pointer into it), filled with a sentinel byte so tests can prove
// which bytes the console wrote and which it left alone (stride padding).
using Shared.Console;

namespace Host.Tests.Console;

public sealed unsafe class TestFramebuffer : IPixelSource
{
    public const byte Sentinel = 0xCD;

    private readonly byte[] _memory;

    public TestFramebuffer(int width, int height, PixelLayout layout, int padding = 0)
    {
        Width = width;
        Height = height;
        Layout = layout;
        Pitch = (width * layout.BytesPerPixel) + padding;
        _memory = GC.AllocateArray<byte>(Pitch * height, pinned: true);
        _memory.AsSpan().Fill(Sentinel);
        fixed (byte* start = _memory)
        {
            if (!PixelSurface.TryCreate(start, width, height, Pitch, layout, out PixelSurface surface))
                throw new ArgumentException("impossible test framebuffer geometry");
            Surface = surface;
        }
    }

    public int Width { get; }

    public int Height { get; }

    public int Pitch { get; }

    public PixelLayout Layout { get; }

    public PixelSurface Surface { get; }

    public byte[] Memory => _memory;

    public Rgb this[int x, int y] => Layout.Decode(PixelSurface.Load(Surface.Address(x, y), Layout.BytesPerPixel));

    /// <summary>The bytes between the end of each row's pixels and the next row.</summary>
    public IEnumerable<byte> PaddingBytes()
    {
        int rowBytes = Width * Layout.BytesPerPixel;
        for (int y = 0; y < Height; y++)
        {
            for (int i = rowBytes; i < Pitch; i++)
                yield return _memory[(y * Pitch) + i];
        }
    }

    public static TextScreen Screen(int columns, int rows, PixelLayout layout, int scale = 1, int padding = 0)
        => Screen(columns, rows, layout, scale, padding, out _);

    /// <summary>A text screen of exactly columns x rows cells of the 8x16 font (at <paramref name="scale"/>).</summary>
    public static TextScreen Screen(int columns, int rows, PixelLayout layout, int scale, int padding, out TestFramebuffer framebuffer)
    {
        BitmapFont font = Fonts.ForScale(scale, out int pixelScale);
        framebuffer = new TestFramebuffer(columns * 8 * scale, rows * 16 * scale, layout, padding);
        return new TextScreen(new GlyphRenderer(framebuffer.Surface, font, pixelScale));
    }
}
