// The physical frame allocator's bookkeeping: which 4 KiB frames of the
// memory map are free, which are handed out, and which were never ours.
// Pure logic over a block of metadata memory the caller supplies (the kernel
// carves it out of the memory map and reaches it through the physical
// window; host tests pass native memory), so the same code runs in the
// kernel, the host tests and the benchmarks.
//
// Per frame number f (physical address / 4096) below FrameLimit:
//   _position[f]  Unmanaged (never usable: not RAM we own, or reserved),
//                 InUse (usable, handed out), or the index of f in _stack
//   _stack[0..n)  the free frames; allocation pops the top, free pushes
//   _freeBits     one bit per frame, set while it is free: finds aligned
//                 free runs 64 frames per word
// so allocating and freeing a 4 KiB frame is O(1), a contiguous run is a
// bitmap scan plus an O(1) removal from the middle of the stack per frame
// (swap with the top), and a double free or a free of a frame that was never
// usable is caught with the frame's address. Metadata costs 8 bytes and a bit
// per 4 KiB frame up to the end of the highest usable region (0.2 %).
//
// Which frames are handed out (see MemoryRegionKind):
//   Usable          free from the start
//   BootReclaimable in use until ReclaimBootMemory: the loader's and the
//                   firmware's boot-services memory, free once nothing reads it
//   PageTables      in use (the loader's tables); freed one by one when the
//                   mapper empties them
//   everything else never (kernel image, stacks, boot info, ACPI, firmware
//                   runtime memory, MMIO, framebuffer) - nor frame 0, nor the
//                   metadata itself
using System;
using Shared.Boot;

namespace Shared.Memory;

public enum FrameFreeResult
{
    Success,

    /// <summary>The frame is already free: a double free.</summary>
    DoubleFree,

    /// <summary>The frame was never usable memory (reserved, MMIO, outside the map, the metadata itself).</summary>
    NotManaged,
}

/// <summary>Frame counts for the shell's `mem` and the tests, in 4 KiB frames.</summary>
public struct FrameCounts
{
    /// <summary>Frames that are usable memory and managed by the allocator: Free + Used.</summary>
    public ulong Managed;
    public ulong Free;
    public ulong Used;

    /// <summary>Boot-services and loader frames still held (they become free at ReclaimBootMemory).</summary>
    public ulong BootHeld;

    /// <summary>RAM frames that are never handed out: kernel image, stacks, boot info, ACPI, firmware runtime, allocator metadata.</summary>
    public ulong Reserved;

    /// <summary>Frames taken by the allocator's own metadata (part of Reserved).</summary>
    public ulong Metadata;
}

public unsafe struct PhysicalFrameAllocator
{
    public const ulong FrameSize = 4096;
    public const int KindCount = 16;

    private const uint Unmanaged = uint.MaxValue;
    private const uint InUse = uint.MaxValue - 1;

    private uint* _position;
    private uint* _stack;
    private ulong* _freeBits;
    private ulong _frameLimit;
    private ulong _freeCount;
    private ulong _managed;
    private ulong _bootHeld;
    private ulong _reserved;
    private ulong _metadataFrames;
    private bool _bootReclaimed;
    private fixed ulong _framesByKind[KindCount];

    /// <summary>One past the highest frame number the allocator tracks.</summary>
    public ulong FrameLimit => _frameLimit;

    public ulong FreeFrames => _freeCount;

    public bool BootMemoryReclaimed => _bootReclaimed;

    /// <summary>Whole 4 KiB frames the memory map lists with <paramref name="kind"/> (never changes).</summary>
    public ulong FramesOfKind(MemoryRegionKind kind) => (uint)kind < KindCount ? _framesByKind[(int)kind] : 0;

    public FrameCounts Counts => new()
    {
        Managed = _managed,
        Free = _freeCount,
        Used = _managed - _freeCount,
        BootHeld = _bootHeld,
        Reserved = _reserved,
        Metadata = _metadataFrames,
    };

    /// <summary>Whether the allocator ever hands out frames of this kind.</summary>
    public static bool IsManaged(MemoryRegionKind kind)
        => kind == MemoryRegionKind.Usable || kind == MemoryRegionKind.BootReclaimable || kind == MemoryRegionKind.PageTables;

    /// <summary>Whether frames of this kind are RAM (counted as reserved when not managed), as opposed to MMIO and holes.</summary>
    public static bool IsRam(MemoryRegionKind kind)
        => kind != MemoryRegionKind.Mmio && kind != MemoryRegionKind.Framebuffer && kind != MemoryRegionKind.Reserved && kind != MemoryRegionKind.Unusable;

    /// <summary>The frame numbers the allocator must track for <paramref name="regions"/>: up to the end of the highest managed region.</summary>
    public static ulong FrameLimitFor(ReadOnlySpan<MemoryRegion> regions)
    {
        ulong limit = 0;
        foreach (MemoryRegion region in regions)
        {
            if (IsManaged(region.Kind) && region.End / FrameSize > limit)
                limit = region.End / FrameSize;
        }

        return limit;
    }

    /// <summary>Bytes of metadata Initialize needs for <paramref name="frameLimit"/> frames, rounded up to whole frames.</summary>
    public static ulong MetadataBytes(ulong frameLimit)
    {
        ulong bytes = (frameLimit * sizeof(uint) * 2) + (((frameLimit + 63) / 64) * sizeof(ulong));
        return (bytes + FrameSize - 1) & ~(FrameSize - 1);
    }

    /// <summary>
    /// Where to put <paramref name="bytes"/> of metadata: the start of the lowest Usable region that holds them in
    /// whole frames above frame 0. False when no usable region is large enough.
    /// </summary>
    public static bool TryPlaceMetadata(ReadOnlySpan<MemoryRegion> regions, ulong bytes, out PhysicalAddress start)
    {
        foreach (MemoryRegion region in regions)
        {
            if (region.Kind != MemoryRegionKind.Usable)
                continue;
            ulong first = (region.Start + FrameSize - 1) & ~(FrameSize - 1);
            if (first == 0)
                first = FrameSize;
            ulong end = region.End & ~(FrameSize - 1);
            if (end > first && end - first >= bytes)
            {
                start = new PhysicalAddress(first);
                return true;
            }
        }

        start = default;
        return false;
    }

    /// <summary>
    /// Sets the allocator up over <paramref name="regions"/> (sorted, non-overlapping: BootInfo's list) with its
    /// metadata at <paramref name="metadata"/> (MetadataBytes(FrameLimitFor(regions)) bytes, reachable by the
    /// caller), which lives in physical frames [metadataPhysical, + that size): those are never handed out.
    /// Usable frames are pushed so that the lowest addresses are allocated first.
    /// </summary>
    public void Initialize(ReadOnlySpan<MemoryRegion> regions, void* metadata, PhysicalAddress metadataPhysical)
    {
        _frameLimit = FrameLimitFor(regions);
        ulong metadataBytes = MetadataBytes(_frameLimit);
        _position = (uint*)metadata;
        _stack = _position + _frameLimit;
        _freeBits = (ulong*)(_stack + _frameLimit);
        _freeCount = 0;
        _managed = 0;
        _bootHeld = 0;
        _reserved = 0;
        _bootReclaimed = false;
        _metadataFrames = metadataBytes / FrameSize;
        for (int k = 0; k < KindCount; k++)
            _framesByKind[k] = 0;
        new Span<uint>(_position, checked((int)_frameLimit)).Fill(Unmanaged);
        new Span<ulong>(_freeBits, (int)((_frameLimit + 63) / 64)).Clear();

        ulong metadataFirst = metadataPhysical.Value / FrameSize;
        ulong metadataEnd = metadataFirst + _metadataFrames;

        // Walk from the top down so the free stack ends with the lowest frame on top.
        for (int r = regions.Length - 1; r >= 0; r--)
        {
            MemoryRegion region = regions[r];
            ulong first = (region.Start + FrameSize - 1) / FrameSize;
            ulong end = region.End / FrameSize;
            if (end <= first)
                continue;
            if ((uint)region.Kind < KindCount)
                _framesByKind[(int)region.Kind] += end - first;
            if (!IsManaged(region.Kind))
            {
                if (IsRam(region.Kind))
                    _reserved += end - first;
                continue;
            }

            for (ulong f = end; f-- > first;)
            {
                if (f == 0 || (f >= metadataFirst && f < metadataEnd))
                {
                    _reserved++;
                    continue;
                }

                _managed++;
                if (region.Kind == MemoryRegionKind.Usable)
                {
                    Push(f);
                }
                else
                {
                    _position[f] = InUse;
                    if (region.Kind == MemoryRegionKind.BootReclaimable)
                        _bootHeld++;
                }
            }
        }
    }

    /// <summary>A free 4 KiB frame, now in use; false when none is left. O(1).</summary>
    public bool TryAllocate(out PhysicalFrame<Size4KiB> frame)
    {
        if (_freeCount == 0)
        {
            frame = default;
            return false;
        }

        uint f = _stack[--_freeCount];
        _position[f] = InUse;
        _freeBits[f / 64] &= ~(1UL << (int)(f % 64));
        frame = PhysicalFrame<Size4KiB>.FromStart(new PhysicalAddress(f * FrameSize));
        return true;
    }

    /// <summary>Gives a frame back. O(1). A double free or a frame that was never usable is refused, not recorded.</summary>
    public FrameFreeResult Free(PhysicalFrame<Size4KiB> frame)
    {
        ulong f = frame.Start.Value / FrameSize;
        if (f >= _frameLimit || _position[f] == Unmanaged)
            return FrameFreeResult.NotManaged;
        if (_position[f] != InUse)
            return FrameFreeResult.DoubleFree;
        Push(f);
        return FrameFreeResult.Success;
    }

    /// <summary>Whether <paramref name="frame"/> is currently free.</summary>
    public bool IsFree(PhysicalFrame<Size4KiB> frame)
    {
        ulong f = frame.Start.Value / FrameSize;
        return f < _frameLimit && _position[f] < InUse;
    }

    /// <summary>Whether the allocator manages <paramref name="frame"/> (free or handed out).</summary>
    public bool IsManagedFrame(PhysicalFrame<Size4KiB> frame)
    {
        ulong f = frame.Start.Value / FrameSize;
        return f < _frameLimit && _position[f] != Unmanaged;
    }

    /// <summary>
    /// <paramref name="count"/> physically contiguous free 4 KiB frames whose first is aligned to
    /// <paramref name="alignment"/> bytes (a power of two, at least 4 KiB; 2 MiB for huge pages). Lowest fit
    /// first. O(frames / 64) for the search plus O(count). False (nothing taken) when no such run is free.
    /// </summary>
    public bool TryAllocateContiguous(ulong count, ulong alignment, out PhysicalFrameRange<Size4KiB> range)
    {
        range = default;
        if (count == 0 || alignment < FrameSize || (alignment & (alignment - 1)) != 0 || count > _freeCount)
            return false;
        ulong step = alignment / FrameSize;
        for (ulong start = step; start + count <= _frameLimit; start += step)
        {
            ulong blocked = FirstNotFree(start, count);
            if (blocked == ulong.MaxValue)
            {
                for (ulong f = start; f < start + count; f++)
                    Remove(f);
                range = new PhysicalFrameRange<Size4KiB>(PhysicalFrame<Size4KiB>.FromStart(new PhysicalAddress(start * FrameSize)), count);
                return true;
            }

            // No aligned run can start at or below the blocked frame: skip past it.
            start = ((blocked / step) * step);
        }

        return false;
    }

    /// <summary>
    /// Frees every boot-services and loader frame still held, except those holding <paramref name="keep"/>
    /// (what the kernel still reads there, e.g. the RSDP; empty ranges allowed). Call once, when nothing reads
    /// loader or boot-services memory any more. Returns the frames freed; 0 on a second call.
    /// </summary>
    public ulong ReclaimBootMemory(ReadOnlySpan<MemoryRegion> regions, ReadOnlySpan<MemoryRegion> keep)
    {
        if (_bootReclaimed)
            return 0;
        _bootReclaimed = true;
        ulong freed = 0;
        for (int r = regions.Length - 1; r >= 0; r--)
        {
            MemoryRegion region = regions[r];
            if (region.Kind != MemoryRegionKind.BootReclaimable)
                continue;
            ulong first = (region.Start + FrameSize - 1) / FrameSize;
            for (ulong f = region.End / FrameSize; f-- > first;)
            {
                if (f >= _frameLimit || _position[f] != InUse || Kept(f, keep))
                    continue;
                Push(f);
                _bootHeld--;
                freed++;
            }
        }

        return freed;
    }

    private static bool Kept(ulong frame, ReadOnlySpan<MemoryRegion> keep)
    {
        foreach (MemoryRegion k in keep)
        {
            if (k.Length != 0 && frame >= k.Start / FrameSize && frame <= (k.End - 1) / FrameSize)
                return true;
        }

        return false;
    }

    // The first frame in [start, start + count) that is not free, or ulong.MaxValue when all are.
    private ulong FirstNotFree(ulong start, ulong count)
    {
        ulong f = start;
        ulong end = start + count;
        while (f < end)
        {
            ulong word = _freeBits[f / 64];
            int bit = (int)(f % 64);
            ulong span = end - f < (ulong)(64 - bit) ? end - f : (ulong)(64 - bit);
            ulong mask = (span == 64 ? ulong.MaxValue : ((1UL << (int)span) - 1)) << bit;
            ulong missing = ~word & mask;
            if (missing != 0)
                return (f & ~63UL) + (ulong)System.Numerics.BitOperations.TrailingZeroCount(missing);
            f += span;
        }

        return ulong.MaxValue;
    }

    private void Push(ulong f)
    {
        _stack[_freeCount] = (uint)f;
        _position[f] = (uint)_freeCount;
        _freeCount++;
        _freeBits[f / 64] |= 1UL << (int)(f % 64);
    }

    // Takes a free frame out of the middle of the stack: the top frame moves into its slot.
    private void Remove(ulong f)
    {
        uint slot = _position[f];
        uint top = _stack[--_freeCount];
        _stack[slot] = top;
        _position[top] = slot;
        _position[f] = InUse;
        _freeBits[f / 64] &= ~(1UL << (int)(f % 64));
    }
}
