// EFI_GRAPHICS_OUTPUT_PROTOCOL (UEFI spec 12.9): the display modes a GPU
// offers, switching between them, and the framebuffer of the current one.
// The pixel-format enum is Shared.Boot.GopPixelFormat, so the mode choice can
// be host-tested.
using System.Runtime.InteropServices;
using Shared.Boot;

namespace Efi.Uefi;

[StructLayout(LayoutKind.Sequential)]
public unsafe struct EfiGraphicsOutputProtocol
{
    /// <summary>Describes mode n; the firmware allocates the information from pool memory, which the caller frees.</summary>
    public delegate* unmanaged<EfiGraphicsOutputProtocol*, uint, nuint*, EfiGraphicsOutputModeInformation**, EfiStatus> QueryMode;
    public delegate* unmanaged<EfiGraphicsOutputProtocol*, uint, EfiStatus> SetMode;
    public void* Blt;
    public EfiGraphicsOutputProtocolMode* Mode;
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct EfiGraphicsOutputProtocolMode
{
    public uint MaxMode;

    /// <summary>The current mode's number.</summary>
    public uint Mode;
    public EfiGraphicsOutputModeInformation* Info;
    public nuint SizeOfInfo;
    public ulong FrameBufferBase;
    public nuint FrameBufferSize;
}

[StructLayout(LayoutKind.Sequential)]
public struct EfiGraphicsOutputModeInformation
{
    public uint Version;
    public uint HorizontalResolution;
    public uint VerticalResolution;
    public GopPixelFormat PixelFormat;
    public uint RedMask;
    public uint GreenMask;
    public uint BlueMask;
    public uint ReservedMask;
    public uint PixelsPerScanLine;

    public GraphicsMode ToMode(uint number)
        => new(number, HorizontalResolution, VerticalResolution, PixelsPerScanLine, PixelFormat, RedMask, GreenMask, BlueMask, ReservedMask);
}
