// The kernel's physical frame allocator: every usable 4 KiB frame of the
// loader's memory map, handed out and taken back in O(1). The bookkeeping is
// Shared/Memory/PhysicalFrameAllocator (host-tested over captured memory
// maps); this places its metadata in the first usable region that fits,
// reaches it through the physical-memory window, serializes access with a
// lock (interrupts off while held) and turns broken invariants into panics
// that name the frame.
using System;
using Kernel.Diagnostics;
using Kernel.Sync;
using Shared.Boot;
using Shared.Memory;

namespace Kernel.Memory;

public static class FrameAllocator
{
    private static PhysicalFrameAllocator s_frames;
    private static readonly SpinLock s_lock = new("frame allocator");
    private static bool s_initialized;
    private static PhysicalAddress s_metadataPhysical;

    public static bool IsInitialized => s_initialized;

    /// <summary>Frame counts now (a snapshot under the lock).</summary>
    public static FrameCounts Counts
    {
        get
        {
            using (s_lock.Acquire())
                return s_frames.Counts;
        }
    }

    /// <summary>Whole 4 KiB frames the memory map lists with <paramref name="kind"/>.</summary>
    public static ulong FramesOfKind(MemoryRegionKind kind) => s_frames.FramesOfKind(kind);

    public static bool BootMemoryReclaimed => s_frames.BootMemoryReclaimed;

    /// <summary>Where the allocator's own metadata lives (physical), for `mem` and the tests.</summary>
    public static PhysicalAddress MetadataPhysical => s_metadataPhysical;

    private static unsafe ReadOnlySpan<MemoryRegion> Regions
        => new(KernelState.BootInfo->MemoryRegions, checked((int)KernelState.BootInfo->MemoryRegionCount));

    /// <summary>
    /// Takes over the memory map. Runs once, before anything maps memory (the IST stacks). Caller's obligation:
    /// the boot information's memory map is true - every frame it calls Usable is free RAM nobody else uses.
    /// </summary>
    public static unsafe void Initialize()
    {
        if (s_initialized)
            Panic.Fail("frame allocator initialized twice");
        ReadOnlySpan<MemoryRegion> regions = Regions;
        ulong bytes = PhysicalFrameAllocator.MetadataBytes(PhysicalFrameAllocator.FrameLimitFor(regions));
        if (!PhysicalFrameAllocator.TryPlaceMetadata(regions, bytes, out PhysicalAddress metadata))
            Panic.Fail("frame allocator: no usable region holds its " + (bytes / 1024).ToString() + " KiB of metadata");
        if (metadata.Value + bytes > KernelState.BootInfo->PhysicalMemoryMappedSize)
            Panic.Fail("frame allocator: metadata at " + metadata.ToString() + " lies outside the physical-memory window");
        s_metadataPhysical = metadata;
        s_frames.Initialize(regions, (void*)(KernelState.PhysicalMemoryOffset + metadata.Value), metadata);
        s_initialized = true;
    }

    /// <summary>
    /// Frees the loader's and the firmware's boot-services memory. Call once nothing reads it any more: after the
    /// ACPI tables were parsed (the frame holding the RSDP is kept anyway, in case the firmware put it there).
    /// Returns the frames freed.
    /// Caller's obligation: no pointer into loader or boot-services memory is used after this call.
    /// </summary>
    public static unsafe ulong ReclaimBootMemory()
    {
        MemoryRegion rsdp = new() { Start = KernelState.BootInfo->RsdpPhysical, Length = KernelState.BootInfo->RsdpPhysical != 0 ? 36UL : 0 };
        using (s_lock.Acquire())
            return s_frames.ReclaimBootMemory(Regions, new ReadOnlySpan<MemoryRegion>(&rsdp, 1));
    }

    /// <summary>The boot-log stage: reclaims boot memory (see ReclaimBootMemory, same obligation), then Describe.</summary>
    public static unsafe string ReclaimBootMemoryAndDescribe()
    {
        ReclaimBootMemory();
        return Describe();
    }

    /// <summary>A free 4 KiB frame (contents undefined), or false when physical memory is exhausted.</summary>
    public static bool TryAllocate(out PhysicalFrame<Size4KiB> frame)
    {
        using (s_lock.Acquire())
            return s_frames.TryAllocate(out frame);
    }

    /// <summary>As TryAllocate, with the frame zeroed through the physical-memory window.</summary>
    public static bool TryAllocateZeroed(out PhysicalFrame<Size4KiB> frame)
    {
        if (!TryAllocate(out frame))
            return false;
        PhysicalWindow.Zero(frame);
        return true;
    }

    /// <summary>
    /// <paramref name="count"/> physically contiguous frames, the first aligned to <paramref name="alignment"/>
    /// bytes (2 MiB for a huge page); false when no such run is free.
    /// </summary>
    public static bool TryAllocateContiguous(ulong count, ulong alignment, out PhysicalFrameRange<Size4KiB> range)
    {
        using (s_lock.Acquire())
            return s_frames.TryAllocateContiguous(count, alignment, out range);
    }

    /// <summary>
    /// Gives a frame back; a double free or a frame that was never usable is refused and described, not
    /// recorded. Caller's obligation: nothing uses the frame any more (no mapping, no pointer through the
    /// window, no device DMA): the next TryAllocate may hand it to someone else.
    /// </summary>
    public static unsafe FrameFreeResult TryFree(PhysicalFrame<Size4KiB> frame)
    {
        using (s_lock.Acquire())
            return s_frames.Free(frame);
    }

    /// <summary>As TryFree, but a refused free panics naming the frame. Same obligation as TryFree.</summary>
    public static unsafe void Free(PhysicalFrame<Size4KiB> frame)
    {
        FrameFreeResult result = TryFree(frame);
        if (result != FrameFreeResult.Success)
            Panic.Fail(DescribeFailure(result, frame));
    }

    public static bool IsFree(PhysicalFrame<Size4KiB> frame)
    {
        using (s_lock.Acquire())
            return s_frames.IsFree(frame);
    }

    /// <summary>"double free of frame 0x12345000" - the message a refused free panics with.</summary>
    public static string DescribeFailure(FrameFreeResult result, PhysicalFrame<Size4KiB> frame) => result switch
    {
        FrameFreeResult.DoubleFree => "frame allocator: double free of frame " + frame.Start.ToString(),
        FrameFreeResult.NotManaged => "frame allocator: frame " + frame.Start.ToString() + " was never usable memory (reserved, MMIO or outside the map)",
        _ => "frame allocator: ok",
    };

    /// <summary>"126 MiB usable: 120 MiB free, 6 MiB used (2 MiB boot memory held); 1 MiB reserved" for the boot log and `mem`.</summary>
    public static string Describe()
    {
        FrameCounts c = Counts;
        return "ok, " + MiB(c.Managed) + " usable: " + MiB(c.Free) + " free, " + MiB(c.Used) + " used ("
            + MiB(c.BootHeld) + " boot memory not yet reclaimed); " + MiB(c.Reserved) + " reserved";
    }

    private static string MiB(ulong frames) => (frames * 4096 / (1024 * 1024)).ToString() + " MiB";
}
