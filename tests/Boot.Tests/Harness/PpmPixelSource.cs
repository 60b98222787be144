// A screenshot (QMP screendump or an X screen read back) as the pixel source
// Shared/Console's ScreenReader reads glyphs from.
using Shared.Console;

namespace Boot.Tests.Harness;

internal readonly struct PpmPixelSource : IPixelSource
{
    private readonly PpmImage _image;

    public PpmPixelSource(PpmImage image) => _image = image;

    public int Width => _image.Width;

    public int Height => _image.Height;

    public Rgb this[int x, int y]
    {
        get
        {
            (byte r, byte g, byte b) = _image[x, y];
            return new Rgb(r, g, b);
        }
    }
}
