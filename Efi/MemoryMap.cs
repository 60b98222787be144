// Reading the firmware memory map (with a buffer that grows until it fits)
// and converting it into the kernel's region list.
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

    public int Count => DescriptorSize == 0 ? 0 : (int)(Size / DescriptorSize);

    /// <summary>Descriptors are DescriptorSize apart, which may be larger than sizeof(EfiMemoryDescriptor).</summary>
    public EfiMemoryDescriptor* Get(int index) => (EfiMemoryDescriptor*)(Buffer + ((nuint)index * DescriptorSize));
}

internal static unsafe class MemoryMap
{
    // Room for the descriptors the allocations between GetMemoryMap and ExitBootServices may add.
    private const int SlackDescriptors = 16;

    /// <summary>Reads the current map into <paramref name="map"/>, allocating or growing its buffer as needed.</summary>
    public static EfiStatus Read(ref FirmwareMemoryMap map)
    {
        for (int attempt = 0; attempt < 8; attempt++)
        {
            nuint size = map.BufferSize;
            EfiStatus status = Firmware.GetMemoryMap(ref size, (EfiMemoryDescriptor*)map.Buffer, out nuint key, out nuint descriptorSize, out _);
            if (status == EfiStatus.Success)
            {
                map.Size = size;
                map.MapKey = key;
                map.DescriptorSize = descriptorSize;
                return EfiStatus.Success;
            }

            if (status != EfiStatus.BufferTooSmall)
                return status;

            // Grow past what the firmware asked for: allocating the buffer itself adds descriptors.
            nuint needed = size + ((SlackDescriptors + 2) * (descriptorSize == 0 ? 64 : descriptorSize));
            ulong pages = (needed + 4095) / 4096;
            status = Firmware.AllocatePages(pages, EfiMemoryType.LoaderData, out ulong buffer);
            if (status != EfiStatus.Success)
                return status;
            map.Buffer = (byte*)buffer;
            map.BufferSize = (nuint)(pages * 4096);
        }

        return EfiStatus.BufferTooSmall;
    }

    public static MemoryRegionKind KindOf(EfiMemoryType type) => type switch
    {
        EfiMemoryType.Conventional => MemoryRegionKind.Usable,
        EfiMemoryType.LoaderCode or EfiMemoryType.LoaderData or EfiMemoryType.BootServicesCode or EfiMemoryType.BootServicesData => MemoryRegionKind.BootReclaimable,
        EfiMemoryType.AcpiReclaim => MemoryRegionKind.AcpiReclaimable,
        EfiMemoryType.AcpiNvs => MemoryRegionKind.AcpiNvs,
        EfiMemoryType.MemoryMappedIo or EfiMemoryType.MemoryMappedIoPortSpace => MemoryRegionKind.Mmio,
        EfiMemoryType.Unusable => MemoryRegionKind.Unusable,
        _ => MemoryRegionKind.Reserved,
    };

    /// <summary>End of the highest range in the map (for sizing the physical-memory window).</summary>
    public static ulong HighestAddress(in FirmwareMemoryMap map)
    {
        ulong highest = 0;
        for (int i = 0; i < map.Count; i++)
        {
            EfiMemoryDescriptor* descriptor = map.Get(i);
            ulong end = descriptor->PhysicalStart + (descriptor->NumberOfPages * 4096);
            if (end > highest)
                highest = end;
        }

        return highest;
    }

    /// <summary>
    /// Converts the final firmware map plus the loader's claims into <paramref name="output"/>. Runs after the last
    /// GetMemoryMap, so it must not call the firmware: all buffers come from the caller.
    /// </summary>
    public static int Convert(in FirmwareMemoryMap map, Span<MemoryRegion> scratch, Span<ulong> boundaries, Span<MemoryRegion> output)
    {
        var builder = new MemoryMapBuilder(scratch);
        for (int i = 0; i < map.Count; i++)
        {
            EfiMemoryDescriptor* descriptor = map.Get(i);
            if (!builder.Add(descriptor->PhysicalStart, descriptor->NumberOfPages * 4096, KindOf(descriptor->Type)))
                return -1;
        }

        for (int i = 0; i < Claims.Count; i++)
        {
            MemoryRegion claim = Claims.Get(i);
            if (!builder.Add(claim.Start, claim.Length, claim.Kind))
                return -1;
        }

        return builder.Build(output, boundaries);
    }
}
