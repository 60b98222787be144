// Reads the binary PPM (P6) files QMP's screendump writes.
namespace Boot.Tests.Harness;

public sealed class PpmImage
{
    private readonly byte[] _pixels;

    private PpmImage(int width, int height, byte[] pixels)
    {
        Width = width;
        Height = height;
        _pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    public (byte R, byte G, byte B) this[int x, int y]
    {
        get
        {
            int offset = ((y * Width) + x) * 3;
            return (_pixels[offset], _pixels[offset + 1], _pixels[offset + 2]);
        }
    }

    /// <summary>An image from raw RGB bytes (3 per pixel, rows top to bottom), e.g. a converted X screenshot.</summary>
    public static PpmImage FromRgb(int width, int height, byte[] rgb)
    {
        if (rgb.Length != width * height * 3)
            throw new ArgumentException($"{width}x{height} needs {width * height * 3} bytes, got {rgb.Length}");
        return new PpmImage(width, height, rgb);
    }

    /// <summary>The rectangle at (x, y), clipped to the image.</summary>
    public PpmImage Crop(int x, int y, int width, int height)
    {
        width = Math.Min(width, Width - x);
        height = Math.Min(height, Height - y);
        byte[] pixels = new byte[width * height * 3];
        for (int row = 0; row < height; row++)
            Array.Copy(_pixels, (((y + row) * Width) + x) * 3, pixels, row * width * 3, width * 3);
        return new PpmImage(width, height, pixels);
    }

    public static PpmImage Load(string path)
    {
        byte[] data = File.ReadAllBytes(path);
        int position = 0;
        string magic = Token(data, ref position);
        if (magic != "P6")
            throw new InvalidDataException($"{path} is not a binary PPM (magic '{magic}')");
        int width = int.Parse(Token(data, ref position));
        int height = int.Parse(Token(data, ref position));
        int max = int.Parse(Token(data, ref position));
        if (max != 255)
            throw new InvalidDataException($"{path}: unsupported PPM maximum {max}");
        position++; // the single whitespace byte after the header
        byte[] pixels = data.AsSpan(position, width * height * 3).ToArray();
        return new PpmImage(width, height, pixels);
    }

    private static string Token(byte[] data, ref int position)
    {
        while (char.IsWhiteSpace((char)data[position]) || data[position] == '#')
        {
            if (data[position] == '#')
            {
                while (data[position] != '\n')
                    position++;
            }

            position++;
        }

        int start = position;
        while (!char.IsWhiteSpace((char)data[position]))
            position++;
        return System.Text.Encoding.ASCII.GetString(data, start, position - start);
    }
}
