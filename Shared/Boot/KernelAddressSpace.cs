// The kernel's first address space, as the loader builds it (see KernelLayout):
//
//   kernel image   at its link address; headers read-only, code read+execute,
//                  read-only data read+no-execute, data read/write+no-execute
//   physical window all RAM and MMIO at PhysicalMemoryOffset, read/write,
//                  no-execute, in 1 GiB or 2 MiB pages
//   framebuffer    at FramebufferBase, read/write, no-execute, optionally
//                  write-combining (PAT entry 1 through PWT)
//   boot stack     at BootStackBottom, read/write, no-execute; the page below
//                  (BootStackGuard) is never mapped, so an overflow faults
//   jump page      the loader's last code, identity-mapped in the low half
//                  (the only low-half mapping; the kernel removes it)
//
// Pure logic over IPageTableMemory: the loader runs it on firmware pages, the
// host tests on simulated memory and translate every range back.
using Shared.Memory;

namespace Shared.Boot;

public struct KernelAddressSpace<TMemory>
    where TMemory : IPageTableMemory
{
    private PageTableMapper<TMemory> _mapper;

    private KernelAddressSpace(PageTableMapper<TMemory> mapper) => _mapper = mapper;

    public PhysicalAddress Root => _mapper.Root;

    /// <summary>Starts an empty address space; false when no frame is left for the top-level table.</summary>
    public static bool TryCreate(TMemory memory, out KernelAddressSpace<TMemory> space)
    {
        bool created = PageTableMapper<TMemory>.TryCreate(memory, out PageTableMapper<TMemory> mapper);
        space = new KernelAddressSpace<TMemory>(mapper);
        return created;
    }

    /// <summary>The page-table flags a section gets: W^X, and no-execute for everything but code.</summary>
    public static PageTableFlags SectionFlags(in PeSection section)
    {
        PageTableFlags flags = PageTableFlags.None;
        if (section.IsWritable)
            flags |= PageTableFlags.Writable;
        if (!section.IsExecutable)
            flags |= PageTableFlags.NoExecute;
        return flags;
    }

    /// <summary>
    /// Maps an image laid out by PeImage.CopyTo at <paramref name="physicalBase"/> to its link address. Gaps
    /// between sections stay unmapped.
    /// </summary>
    public MapResult MapKernelImage(in PeImage image, PhysicalAddress physicalBase)
    {
        var virtualBase = new VirtualAddress(image.ImageBase);
        MapResult result = _mapper.MapRange(virtualBase, physicalBase, PageAlign(image.SizeOfHeaders), PageTableFlags.NoExecute);
        for (int i = 0; i < image.SectionCount && result == MapResult.Success; i++)
        {
            PeSection section = image.GetSection(i);
            result = _mapper.MapRange(
                virtualBase + section.VirtualAddress,
                physicalBase + section.VirtualAddress,
                PageAlign(section.MemorySize),
                SectionFlags(section));
        }

        return result;
    }

    /// <summary>Maps physical [0, size) at PhysicalMemoryOffset with pages up to <paramref name="largestPage"/>.</summary>
    public MapResult MapPhysicalWindow(ulong size, PageSize largestPage)
        => _mapper.MapRange(new VirtualAddress(KernelLayout.PhysicalMemoryOffset), PhysicalAddress.Zero, size, PageTableFlags.Writable | PageTableFlags.NoExecute, largestPage);

    /// <summary>
    /// Maps the framebuffer at FramebufferBase. The virtual address keeps the physical offset within its
    /// gigabyte, so 2 MiB pages fit wherever the physical layout allows them. With <paramref name="writeCombining"/>
    /// the pages select PAT entry 1 (PWT set, PCD and PAT clear), which the loader programs as write-combining.
    /// </summary>
    public MapResult MapFramebuffer(PhysicalAddress physicalBase, ulong size, bool writeCombining, out VirtualAddress virtualBase)
    {
        PhysicalAddress first = physicalBase.AlignDown(KernelLayout.PageSize);
        ulong length = PageAlign((physicalBase - first) + size);
        var firstVirtual = new VirtualAddress(KernelLayout.FramebufferBase + (first.Value & (KernelLayout.PhysicalWindowGranularity - 1)));
        virtualBase = firstVirtual + (physicalBase - first);
        PageTableFlags flags = PageTableFlags.Writable | PageTableFlags.NoExecute;
        if (writeCombining)
            flags |= PageTableFlags.WriteThrough;
        return _mapper.MapRange(firstVirtual, first, length, flags, PageSize.Size2MiB);
    }

    /// <summary>Maps the boot stack at BootStackBottom; BootStackGuard, the page below, stays unmapped.</summary>
    public MapResult MapStack(PhysicalAddress stack, ulong size)
        => _mapper.MapRange(new VirtualAddress(KernelLayout.BootStackBottom), stack, PageAlign(size), PageTableFlags.Writable | PageTableFlags.NoExecute);

    /// <summary>
    /// Identity-maps [start, start + length) read-only and executable: the code that runs while CR3 changes.
    /// Only low-half addresses (where the firmware runs the loader) are accepted. <paramref name="mappedStart"/>
    /// and <paramref name="mappedLength"/> give the whole pages mapped.
    /// </summary>
    public MapResult MapIdentity(ulong start, ulong length, out ulong mappedStart, out ulong mappedLength)
    {
        mappedStart = start & ~(KernelLayout.PageSize - 1);
        mappedLength = PageAlign((start - mappedStart) + length);
        if (mappedStart + mappedLength > 0x0000_8000_0000_0000)
            return MapResult.InvalidRange;
        return _mapper.MapRange(new VirtualAddress(mappedStart), new PhysicalAddress(mappedStart), mappedLength, PageTableFlags.None);
    }

    public bool TryTranslate(VirtualAddress address, out PhysicalAddress physical, out PageTableFlags flags, out PageSize size)
        => _mapper.TryTranslate(address, out physical, out flags, out size);

    private static ulong PageAlign(ulong size) => (size + KernelLayout.PageSize - 1) & ~(KernelLayout.PageSize - 1);
}
