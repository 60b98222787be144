// TEMPORARY (console branch): the smallest GOP query that lets the kernel's
// console draw on a real screen - the firmware's current mode, as is, into
// BootInfo.Framebuffer. The loader work (mode selection up to the configured
// resolution, the framebuffer in the memory map) replaces this file.
//
// EFI_GRAPHICS_OUTPUT_PROTOCOL (UEFI spec 12.9): QueryMode, SetMode, Blt, then
// a pointer to the current mode: MaxMode, Mode, Info (resolution, pixel
// format, channel masks, pixels per scan line), SizeOfInfo, FrameBufferBase,
// FrameBufferSize.
using System.Numerics;
using System.Runtime.InteropServices;
using Efi.Uefi;
using Shared.Boot;

namespace Efi;

internal static unsafe class Gop
{
    /// <summary>The current mode's framebuffer (Format None when there is no GOP or only Blt); call before ExitBootServices.</summary>
    public static FramebufferInfo QueryCurrentMode()
    {
        if (Firmware.LocateProtocol(EfiGuid.GraphicsOutputProtocol, out void* protocol) != EfiStatus.Success || protocol == null)
            return default;
        GraphicsOutputMode* mode = ((GraphicsOutputProtocol*)protocol)->Mode;
        if (mode == null || mode->Info == null || mode->FrameBufferBase == 0)
            return default;

        GraphicsOutputModeInformation* info = mode->Info;
        var framebuffer = new FramebufferInfo
        {
            PhysicalBase = mode->FrameBufferBase,
            VirtualBase = mode->FrameBufferBase + KernelLayout.PhysicalMemoryOffset,
            SizeBytes = mode->FrameBufferSize,
            Width = info->HorizontalResolution,
            Height = info->VerticalResolution,
            Stride = info->PixelsPerScanLine,
            BytesPerPixel = 4,
        };

        switch (info->PixelFormat)
        {
            case 0: // PixelRedGreenBlueReserved8BitPerColor
                framebuffer.Format = PixelFormat.Rgbx;
                break;
            case 1: // PixelBlueGreenRedReserved8BitPerColor
                framebuffer.Format = PixelFormat.Bgrx;
                break;
            case 2: // PixelBitMask: the pixel is as wide as its highest mask bit needs
                framebuffer.Format = PixelFormat.Bitmask;
                framebuffer.RedMask = info->RedMask;
                framebuffer.GreenMask = info->GreenMask;
                framebuffer.BlueMask = info->BlueMask;
                framebuffer.ReservedMask = info->ReservedMask;
                uint all = info->RedMask | info->GreenMask | info->BlueMask | info->ReservedMask;
                framebuffer.BytesPerPixel = (uint)(32 - BitOperations.LeadingZeroCount(all) + 7) / 8;
                break;
            default: // PixelBltOnly: no linear framebuffer
                return default;
        }

        return framebuffer;
    }

    /// <summary>The end of the framebuffer's physical range (0 without one), so the physical window can cover it.</summary>
    public static ulong End(in FramebufferInfo framebuffer)
        => framebuffer.Format == PixelFormat.None ? 0 : framebuffer.PhysicalBase + framebuffer.SizeBytes;

    [StructLayout(LayoutKind.Sequential)]
    private struct GraphicsOutputProtocol
    {
        public void* QueryMode;
        public void* SetMode;
        public void* Blt;
        public GraphicsOutputMode* Mode;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct GraphicsOutputMode
    {
        public uint MaxMode;
        public uint Mode;
        public GraphicsOutputModeInformation* Info;
        public nuint SizeOfInfo;
        public ulong FrameBufferBase;
        public nuint FrameBufferSize;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct GraphicsOutputModeInformation
    {
        public uint Version;
        public uint HorizontalResolution;
        public uint VerticalResolution;
        public uint PixelFormat;
        public uint RedMask;
        public uint GreenMask;
        public uint BlueMask;
        public uint ReservedMask;
        public uint PixelsPerScanLine;
    }
}
