// A rectangle of pixels in memory: a framebuffer, or a byte array standing in
// for one in tests and benchmarks. Rows are Pitch bytes apart; the bytes
// between the last pixel of a row and the next row (stride padding) are never
// touched. All raw pixel-memory access of the console goes through here.
using System;

namespace Shared.Console;

public readonly unsafe struct PixelSurface
{
    private readonly byte* _pixels;

    private PixelSurface(byte* pixels, int width, int height, int pitch, PixelLayout layout)
    {
        _pixels = pixels;
        Width = width;
        Height = height;
        Pitch = pitch;
        Layout = layout;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Bytes from the start of one row to the start of the next.</summary>
    public int Pitch { get; }

    public PixelLayout Layout { get; }

    public int BytesPerPixel => Layout.BytesPerPixel;

    /// <summary>
    /// Describes pixel memory. Fails when the geometry is impossible (no pixels, a pitch shorter than a row).
    /// </summary>
    /// <remarks>
    /// The caller guarantees that the bytes [pixels, pixels + Pitch * (height - 1) + width * bytes per pixel) are
    /// writable memory that nothing else uses as anything but pixels, for as long as the surface is used.
    /// </remarks>
    public static bool TryCreate(byte* pixels, int width, int height, int pitch, PixelLayout layout, out PixelSurface surface)
    {
        surface = default;
        if (pixels == null || width <= 0 || height <= 0 || layout.BytesPerPixel == 0)
            return false;
        if ((long)width * layout.BytesPerPixel > pitch || (long)pitch * height > int.MaxValue)
            return false;
        surface = new PixelSurface(pixels, width, height, pitch, layout);
        return true;
    }

    public bool IsValid => _pixels != null;

    /// <summary>The first byte of pixel (x, y). The caller keeps x and y inside the surface.</summary>
    public byte* Address(int x, int y) => _pixels + ((long)y * Pitch) + ((long)x * BytesPerPixel);

    public uint ReadPixel(int x, int y)
    {
        CheckRectangle(x, y, 1, 1);
        return Load(Address(x, y), BytesPerPixel);
    }

    public void WritePixel(int x, int y, uint pixel)
    {
        CheckRectangle(x, y, 1, 1);
        Store(Address(x, y), pixel, BytesPerPixel);
    }

    /// <summary>Sets every pixel of the rectangle to <paramref name="pixel"/> (an encoded value).</summary>
    public void FillRectangle(int x, int y, int width, int height, uint pixel)
    {
        if (width <= 0 || height <= 0)
            return;
        CheckRectangle(x, y, width, height);

        // Fill the first row pixel by pixel, then copy it: the copy moves 8 bytes at a time whatever the pixel size.
        byte* first = Address(x, y);
        int rowBytes = width * BytesPerPixel;
        if (BytesPerPixel == 4)
        {
            ulong pair = ((ulong)pixel << 32) | pixel;
            int i = 0;
            for (; i + 8 <= rowBytes; i += 8)
                *(ulong*)(first + i) = pair;
            if (i < rowBytes)
                *(uint*)(first + i) = pixel;
        }
        else
        {
            for (int i = 0; i < rowBytes; i += BytesPerPixel)
                Store(first + i, pixel, BytesPerPixel);
        }

        for (int row = 1; row < height; row++)
            Buffer.MemoryCopy(first, first + ((long)row * Pitch), rowBytes, rowBytes);
    }

    /// <summary>
    /// Copies the pixels [x, x + width) of <paramref name="rowCount"/> rows starting at <paramref name="sourceY"/>
    /// to the rows starting at <paramref name="destinationY"/>. The two ranges may overlap (scrolling).
    /// </summary>
    public void CopyRows(int sourceY, int destinationY, int rowCount, int x, int width)
    {
        if (rowCount <= 0 || width <= 0 || sourceY == destinationY)
            return;
        CheckRectangle(x, sourceY, width, rowCount);
        CheckRectangle(x, destinationY, width, rowCount);
        int rowBytes = width * BytesPerPixel;

        // Row by row (never the padding between rows), in the order that reads each row before it is overwritten.
        if (destinationY < sourceY)
        {
            for (int row = 0; row < rowCount; row++)
                Buffer.MemoryCopy(Address(x, sourceY + row), Address(x, destinationY + row), rowBytes, rowBytes);
        }
        else
        {
            for (int row = rowCount - 1; row >= 0; row--)
                Buffer.MemoryCopy(Address(x, sourceY + row), Address(x, destinationY + row), rowBytes, rowBytes);
        }
    }

    /// <summary>Reads a pixel value of 2, 3 or 4 bytes, little-endian.</summary>
    public static uint Load(byte* address, int bytesPerPixel) => bytesPerPixel switch
    {
        4 => *(uint*)address,
        3 => address[0] | ((uint)address[1] << 8) | ((uint)address[2] << 16),
        _ => *(ushort*)address,
    };

    /// <summary>Stores the low 2, 3 or 4 bytes of a pixel value, little-endian.</summary>
    public static void Store(byte* address, uint pixel, int bytesPerPixel)
    {
        switch (bytesPerPixel)
        {
            case 4:
                *(uint*)address = pixel;
                break;
            case 3:
                address[0] = (byte)pixel;
                address[1] = (byte)(pixel >> 8);
                address[2] = (byte)(pixel >> 16);
                break;
            default:
                *(ushort*)address = (ushort)pixel;
                break;
        }
    }

    // A drawing bug must not write outside the framebuffer: panic (in the kernel) instead of corrupting memory.
    private void CheckRectangle(int x, int y, int width, int height)
    {
        if (x < 0 || y < 0 || width < 0 || height < 0 || x + width > Width || y + height > Height)
            throw new ArgumentOutOfRangeException(nameof(x), "rectangle outside the pixel surface");
    }
}
