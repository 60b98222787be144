// Reading the firmware memory map and converting it into the kernel's region
// list. GetMemoryMap fills a caller-provided buffer and answers "too small"
// with the size it needs - but allocating a bigger buffer changes the map, so
// the buffer grows with slack to spare. The last read, right before
// ExitBootServices, must not allocate at all: it reuses the buffer, which the
// slack keeps large enough.
using System;
using Efi.Uefi;
using Shared.Boot;

namespace Efi;

internal unsafe struct FirmwareMemoryMap
{
    public byte* Buffer;
    public nuint BufferSize;
    public nuint Size;
    public nuint MapKey;
    public nuint DescriptorSize;

    /// <summary>The most descriptors the buffer can take (sizes the conversion buffers for any later read).</summary>
    public int Capacity => DescriptorSize == 0 ? 0 : (int)(BufferSize / DescriptorSize);

    /// <summary>The map as read; MemoryMap.Read has checked that the descriptor size is sane.</summary>
    public EfiMemoryMap View
    {
        get
        {
            EfiMemoryMap.TryCreate(new ReadOnlySpan<byte>(Buffer, (int)Size), DescriptorSize, out EfiMemoryMap map);
            return map;
        }
    }
}

internal static unsafe class MemoryMap
{
    // Room for the descriptors that allocations between a read and ExitBootServices may add.
    private const int SlackDescriptors = 32;
    private const int MaxAttempts = 8;

    /// <summary>
    /// Reads the current map into <paramref name="map"/>. With <paramref name="mayAllocate"/>, a missing or small
    /// buffer is replaced by a larger one; without, a small buffer is an error (EFI_BUFFER_TOO_SMALL). A descriptor
    /// size no firmware could mean (below 40 bytes, not a multiple of 8) is EFI_INCOMPATIBLE_VERSION.
    /// </summary>
    public static EfiStatus Read(ref FirmwareMemoryMap map, bool mayAllocate)
    {
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            nuint size = map.BufferSize;
            EfiStatus status = Firmware.GetMemoryMap(ref size, map.Buffer, out nuint key, out nuint descriptorSize, out _);
            if (status == EfiStatus.Success)
            {
                if (!EfiMemoryMap.TryCreate(default, descriptorSize, out _))
                    return EfiStatus.IncompatibleVersion;
                map.Size = size;
                map.MapKey = key;
                map.DescriptorSize = descriptorSize;
                return EfiStatus.Success;
            }

            if (status != EfiStatus.BufferTooSmall || !mayAllocate)
                return status;

            // Grow past what the firmware asked for: allocating the buffer itself adds descriptors.
            nuint stride = descriptorSize >= (nuint)EfiMemoryDescriptor.MinimumSize ? descriptorSize : 64;
            ulong pages = ((ulong)(size + (SlackDescriptors * stride)) + 4095) / 4096;
            status = Firmware.AllocatePages(pages, EfiMemoryType.LoaderData, out ulong buffer);
            if (status != EfiStatus.Success)
                return status;
            map.Buffer = (byte*)buffer;
            map.BufferSize = (nuint)(pages * 4096);
        }

        return EfiStatus.BufferTooSmall;
    }

    /// <summary>Logs the map, one descriptor per line (debug level).</summary>
    public static void Dump(in FirmwareMemoryMap map)
    {
        if (!Log.IsEnabled(LogLevel.Debug))
            return;
        EfiMemoryMap view = map.View;
        Log.Debug("firmware memory map: " + view.Count.ToString() + " descriptors of " + view.DescriptorSize.ToString() + " bytes");
        for (int i = 0; i < view.Count; i++)
        {
            EfiMemoryDescriptor d = view[i];
            Log.Debug("  0x" + d.PhysicalStart.ToString("X12") + "-0x" + d.End.ToString("X12") + " type " + ((uint)d.Type).ToString()
                + " attributes 0x" + d.Attribute.ToString("X"));
        }
    }
}
