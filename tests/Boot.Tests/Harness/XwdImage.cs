// Reads the X Window Dump files `xwd -root` writes (X11 XWD version 7), the
// screenshot format every X installation has, into an RGB image. Only what an
// X server at depth 24 produces is supported (TrueColor/DirectColor, ZPixmap, 24 or 32 bits a pixel);
// anything else is a clear error rather than a wrong picture.
namespace Boot.Tests.Harness;

public static class XwdImage
{
    private const int ZPixmap = 2;
    private const int TrueColor = 4;
    private const int DirectColor = 5;

    public static PpmImage Load(string path)
    {
        byte[] data = File.ReadAllBytes(path);
        // The header is 25 big-endian 32-bit fields; the window name follows up to header_size.
        uint Field(int index) => (uint)((data[index * 4] << 24) | (data[(index * 4) + 1] << 16) | (data[(index * 4) + 2] << 8) | data[(index * 4) + 3]);
        if (data.Length < 100 || Field(1) != 7)
            throw new InvalidDataException($"{path}: not an XWD version 7 file");
        int headerSize = (int)Field(0);
        int format = (int)Field(2);
        int width = (int)Field(4);
        int height = (int)Field(5);
        bool littleEndian = Field(7) == 0; // byte_order: 0 = LSBFirst
        int bytesPerLine = (int)Field(12);
        int visualClass = (int)Field(13);
        uint redMask = Field(14);
        uint greenMask = Field(15);
        uint blueMask = Field(16);
        int colormapEntries = (int)Field(19); // ncolors: XWDColor records (12 bytes each) before the pixels
        // xwd from Xvfb at depth 24 packs 3 bytes a pixel while its lines keep the 4-byte stride: both fields count.
        int bitsPerPixel = (int)Field(11);
        int bytesPerPixel = bitsPerPixel / 8;
        if (format != ZPixmap || (visualClass != TrueColor && visualClass != DirectColor) || (bitsPerPixel != 32 && bitsPerPixel != 24)
            || bytesPerLine < width * bytesPerPixel || data.Length < headerSize + (colormapEntries * 12) + ((long)bytesPerLine * height))
            throw new InvalidDataException($"{path}: unsupported XWD layout (format {format}, visual class {visualClass}, {bitsPerPixel} bits a pixel, {bytesPerLine} bytes a line for {width} pixels)");

        int pixelsStart = headerSize + (colormapEntries * 12);
        byte[] rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int offset = pixelsStart + (y * bytesPerLine) + (x * bytesPerPixel);
                uint pixel = 0;
                for (int b = 0; b < bytesPerPixel; b++)
                {
                    int shift = littleEndian ? 8 * b : 8 * (bytesPerPixel - 1 - b);
                    pixel |= (uint)data[offset + b] << shift;
                }

                int target = ((y * width) + x) * 3;
                rgb[target] = Channel(pixel, redMask);
                rgb[target + 1] = Channel(pixel, greenMask);
                rgb[target + 2] = Channel(pixel, blueMask);
            }
        }

        return PpmImage.FromRgb(width, height, rgb);
    }

    // The 8-bit value of the channel selected by mask (masks are 8 bits wide on 24/32-bit servers).
    private static byte Channel(uint pixel, uint mask)
    {
        if (mask == 0)
            return 0;
        int shift = System.Numerics.BitOperations.TrailingZeroCount(mask);
        return (byte)((pixel & mask) >> shift);
    }
}
