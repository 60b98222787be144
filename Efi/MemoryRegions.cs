// The boot-info region list: the firmware's final map plus the loader's
// claims, normalized by Shared/Boot/MemoryMapBuilder. It is built after
// ExitBootServices (only then is the map final), when nothing can be
// allocated any more - so every buffer is reserved beforehand, sized so the
// conversion cannot run out: the map buffer holds at most Capacity
// descriptors, there are at most Claims.Capacity claims, and n inputs never
// give more than 2n regions.
using System;
using Efi.Uefi;
using Shared.Boot;

namespace Efi;

internal unsafe struct MemoryRegions
{
    private MemoryRegion* _output;
    private MemoryRegion* _scratch;
    private ulong* _boundaries;
    private int _inputCapacity;

    /// <summary>Where the list will be, physical (BootInfo.MemoryRegions is this plus the window offset).</summary>
    public ulong PhysicalAddress => (ulong)_output;

    /// <summary>Allocates the buffers for converting any map <paramref name="map"/>'s buffer can hold.</summary>
    public static EfiStatus Reserve(in FirmwareMemoryMap map, out MemoryRegions regions)
    {
        regions = default;
        int inputs = map.Capacity + Claims.Capacity;
        ulong outputBytes = (ulong)(2 * inputs * sizeof(MemoryRegion));
        ulong scratchBytes = (ulong)(inputs * sizeof(MemoryRegion)) + (ulong)(2 * inputs * sizeof(ulong));

        EfiStatus status = Firmware.AllocatePages(Pages(outputBytes), EfiMemoryType.LoaderData, out ulong output);
        if (status != EfiStatus.Success)
            return status;
        Claims.Add(output, Pages(outputBytes) * KernelLayout.PageSize, MemoryRegionKind.BootInfo);

        // Only needed during the conversion: left as loader data, reclaimable by the kernel.
        status = Firmware.AllocatePages(Pages(scratchBytes), EfiMemoryType.LoaderData, out ulong scratch);
        if (status != EfiStatus.Success)
            return status;

        regions._output = (MemoryRegion*)output;
        regions._scratch = (MemoryRegion*)scratch;
        regions._boundaries = (ulong*)(scratch + (ulong)(inputs * sizeof(MemoryRegion)));
        regions._inputCapacity = inputs;
        return EfiStatus.Success;
    }

    /// <summary>
    /// Converts the final map. Calls no firmware service. Returns the number of regions, or -1 if the sizing
    /// promise above was broken (a loader bug).
    /// </summary>
    public int Build(in FirmwareMemoryMap map)
    {
        var builder = new MemoryMapBuilder(new Span<MemoryRegion>(_scratch, _inputCapacity));
        if (!map.View.AddTo(ref builder) || !Claims.AddTo(ref builder))
            return -1;
        return builder.Build(new Span<MemoryRegion>(_output, 2 * _inputCapacity), new Span<ulong>(_boundaries, 2 * _inputCapacity));
    }

    private static ulong Pages(ulong bytes) => (bytes + KernelLayout.PageSize - 1) / KernelLayout.PageSize;
}
