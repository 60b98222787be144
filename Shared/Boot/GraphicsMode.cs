// One mode of the UEFI Graphics Output Protocol, as QueryMode describes it
// (EFI_GRAPHICS_OUTPUT_MODE_INFORMATION, UEFI spec 12.9).
using System;

namespace Shared.Boot;

/// <summary>EFI_GRAPHICS_PIXEL_FORMAT.</summary>
public enum GopPixelFormat : uint
{
    /// <summary>32-bit pixels, bytes red, green, blue, reserved.</summary>
    RedGreenBlueReserved = 0,

    /// <summary>32-bit pixels, bytes blue, green, red, reserved.</summary>
    BlueGreenRedReserved = 1,

    /// <summary>Channel positions given by the PixelInformation masks.</summary>
    BitMask = 2,

    /// <summary>No framebuffer at all: pixels reach the screen only through the protocol's Blt function.</summary>
    BltOnly = 3,
}

public readonly struct GraphicsMode
{
    public GraphicsMode(uint number, uint width, uint height, uint pixelsPerScanLine, GopPixelFormat format,
        uint redMask = 0, uint greenMask = 0, uint blueMask = 0, uint reservedMask = 0)
    {
        Number = number;
        Width = width;
        Height = height;
        PixelsPerScanLine = pixelsPerScanLine;
        Format = format;
        RedMask = redMask;
        GreenMask = greenMask;
        BlueMask = blueMask;
        ReservedMask = reservedMask;
    }

    /// <summary>The mode number to pass to SetMode.</summary>
    public uint Number { get; }

    public uint Width { get; }

    public uint Height { get; }

    public uint PixelsPerScanLine { get; }

    public GopPixelFormat Format { get; }

    public uint RedMask { get; }

    public uint GreenMask { get; }

    public uint BlueMask { get; }

    public uint ReservedMask { get; }

    /// <summary>True when the mode has a framebuffer the kernel can write pixels into.</summary>
    public bool HasFramebuffer => Format <= GopPixelFormat.BitMask && Width > 0 && Height > 0 && PixelsPerScanLine >= Width;

    public ulong PixelCount => (ulong)Width * Height;

    public bool FitsWithin(uint maxWidth, uint maxHeight) => Width <= maxWidth && Height <= maxHeight;

    public override string ToString() => Width.ToString() + "x" + Height.ToString();
}
