// The framebuffer the loader found (UEFI GOP), checked before the console
// draws into it: a known pixel format, a geometry that fits the memory the
// firmware reported, and a canonical virtual range. The result is a
// PixelSurface over the loader's own (write-combining) mapping of it.
using Shared.Boot;
using Shared.Console;

namespace Kernel.Console;

public static unsafe class Framebuffer
{
    /// <summary>
    /// The pixel surface for <paramref name="info"/>, or null with the reason in <paramref name="problem"/>.
    /// </summary>
    /// <remarks>
    /// Relies on the boot-info contract: VirtualBase is PhysicalBase seen through the physical-memory window,
    /// which maps [0, PhysicalMemoryMappedSize) writable; the range is checked to lie inside it.
    /// </remarks>
    public static bool TryOpen(in FramebufferInfo info, BootInfo* bootInfo, out PixelSurface surface, out string problem)
    {
        surface = default;
        if (!info.IsPresent)
        {
            problem = "no framebuffer from the loader";
            return false;
        }

        if (!TryLayout(info, out PixelLayout layout))
        {
            problem = "unsupported pixel format";
            return false;
        }

        ulong pitch = (ulong)info.Stride * info.BytesPerPixel;
        ulong needed = (pitch * (info.Height - 1)) + ((ulong)info.Width * info.BytesPerPixel);
        if (info.Width == 0 || info.Height == 0 || info.Stride < info.Width || needed > info.SizeBytes || pitch > int.MaxValue)
        {
            problem = "inconsistent geometry";
            return false;
        }

        // The loader maps the framebuffer at VirtualBase (write-combining where it can); the bootinfo
        // kernel tests check that mapping against the live page tables.
        if (!Shared.Memory.VirtualAddress.IsCanonical(info.VirtualBase) || !Shared.Memory.VirtualAddress.IsCanonical(info.VirtualBase + needed))
        {
            problem = "not mapped by the loader (non-canonical virtual address)";
            return false;
        }

        if (!PixelSurface.TryCreate((byte*)info.VirtualBase, (int)info.Width, (int)info.Height, (int)pitch, layout, out surface))
        {
            problem = "inconsistent geometry";
            return false;
        }

        problem = null;
        return true;
    }

    public static string FormatName(PixelFormat format) => format switch
    {
        PixelFormat.Rgbx => "RGBx",
        PixelFormat.Bgrx => "BGRx",
        PixelFormat.Bitmask => "bitmask",
        _ => "none",
    };

    private static bool TryLayout(in FramebufferInfo info, out PixelLayout layout)
    {
        switch (info.Format)
        {
            case PixelFormat.Rgbx when info.BytesPerPixel == 4:
                layout = PixelLayout.Rgbx;
                return true;
            case PixelFormat.Bgrx when info.BytesPerPixel == 4:
                layout = PixelLayout.Bgrx;
                return true;
            case PixelFormat.Bitmask:
                return PixelLayout.TryFromMasks(info.RedMask, info.GreenMask, info.BlueMask, (int)info.BytesPerPixel, out layout);
            default:
                layout = default;
                return false;
        }
    }
}
