// Turns the firmware's memory map plus the loader's own allocations into the
// boot-info region list: sorted by start, never overlapping, adjacent regions
// of the same kind merged. Where inputs overlap (the loader's claims always
// do; buggy firmware maps sometimes do), the kind with the higher priority
// wins, so memory is never reported usable when anything says otherwise.
using System;

namespace Shared.Boot;

public ref struct MemoryMapBuilder
{
    private readonly Span<MemoryRegion> _inputs;
    private int _inputCount;

    /// <param name="inputs">Scratch space for every region added or claimed.</param>
    public MemoryMapBuilder(Span<MemoryRegion> inputs)
    {
        _inputs = inputs;
        _inputCount = 0;
    }

    public int InputCount => _inputCount;

    /// <summary>Records a range; false when the scratch space is full. Empty ranges and unknown kinds are dropped.</summary>
    public bool Add(ulong start, ulong length, MemoryRegionKind kind)
    {
        if (length == 0 || Priority(kind) == 0)
            return true;
        if (start + length < start)
            length = ulong.MaxValue - start; // clamp a range that would wrap around the top of the address space
        if (_inputCount == _inputs.Length)
            return false;
        _inputs[_inputCount++] = new MemoryRegion { Start = start, Length = length, Kind = kind };
        return true;
    }

    /// <summary>
    /// Writes the normalized map into <paramref name="output"/> and returns the number of regions, or -1 when
    /// <paramref name="output"/> or <paramref name="boundaries"/> is too small. Both always suffice at 2 × the
    /// number of inputs: n ranges have at most 2n boundaries, so at most 2n - 1 pieces between them.
    /// </summary>
    public int Build(Span<MemoryRegion> output, Span<ulong> boundaries)
    {
        if (boundaries.Length < _inputCount * 2)
            return -1;

        int boundaryCount = 0;
        for (int i = 0; i < _inputCount; i++)
        {
            boundaries[boundaryCount++] = _inputs[i].Start;
            boundaries[boundaryCount++] = _inputs[i].Start + _inputs[i].Length;
        }

        boundaries = boundaries.Slice(0, boundaryCount);
        boundaries.Sort();

        int count = 0;
        for (int b = 0; b + 1 < boundaries.Length; b++)
        {
            ulong start = boundaries[b];
            ulong end = boundaries[b + 1];
            if (start == end)
                continue;

            MemoryRegionKind kind = 0;
            for (int i = 0; i < _inputCount; i++)
            {
                MemoryRegion region = _inputs[i];
                if (region.Start <= start && region.Start + region.Length >= end && Priority(region.Kind) > Priority(kind))
                    kind = region.Kind;
            }

            if (kind == 0)
                continue;

            if (count > 0 && output[count - 1].Kind == kind && output[count - 1].Start + output[count - 1].Length == start)
            {
                output[count - 1].Length += end - start;
                continue;
            }

            if (count == output.Length)
                return -1;
            output[count++] = new MemoryRegion { Start = start, Length = end - start, Kind = kind };
        }

        return count;
    }

    /// <summary>
    /// Higher wins an overlap: usable memory loses to everything, whatever the firmware keeps for itself beats
    /// what it hands over, and the loader's claims (carved out of memory the firmware gave the loader) beat all.
    /// </summary>
    public static int Priority(MemoryRegionKind kind) => kind switch
    {
        MemoryRegionKind.Usable => 1,
        MemoryRegionKind.BootReclaimable => 2,
        MemoryRegionKind.AcpiReclaimable => 3,
        MemoryRegionKind.Unaccepted => 4,
        MemoryRegionKind.Persistent => 5,
        MemoryRegionKind.AcpiNvs => 6,
        MemoryRegionKind.Mmio => 7,
        MemoryRegionKind.RuntimeServices => 8,
        MemoryRegionKind.Reserved => 9,
        MemoryRegionKind.Unusable => 10,
        MemoryRegionKind.Framebuffer => 11,
        MemoryRegionKind.KernelImage => 12,
        MemoryRegionKind.KernelStack => 13,
        MemoryRegionKind.PageTables => 14,
        MemoryRegionKind.BootInfo => 15,
        _ => 0,
    };
}
