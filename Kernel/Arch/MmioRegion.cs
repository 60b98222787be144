// Memory-mapped device registers (local APIC, I/O APIC...): a physical range
// reached through the kernel's physical-memory window, read and written as
// volatile 32-bit accesses so the compiler neither merges, reorders nor drops
// them.
//
// Device registers must not be cached. The window is mapped write-back, so
// Map marks the window's pages over the range cache-disabled (PCD | PWT:
// uncached under the default PAT). On PCs the firmware's MTRRs already make
// the APIC ranges uncached and the stricter type wins; clearing the cache
// bits makes the kernel correct without relying on that.
using System.Threading;
using Kernel.Diagnostics;
using Kernel.Memory;
using Shared.Memory;

namespace Kernel.Arch;

public readonly unsafe struct MmioRegion
{
    private const ulong CacheBits = (ulong)(PageTableFlags.CacheDisable | PageTableFlags.WriteThrough);

    private readonly byte* _base;

    private MmioRegion(PhysicalAddress physical, uint size, byte* virtualBase)
    {
        Physical = physical;
        Size = size;
        _base = virtualBase;
    }

    public PhysicalAddress Physical { get; }

    public uint Size { get; }

    public bool IsMapped => _base != null;

    /// <summary>
    /// The registers at [physical, physical + size), uncached. Panics if the range is outside the physical-memory
    /// window (the loader maps at least the first 4 GiB, where PC interrupt controllers live).
    /// </summary>
    public static MmioRegion Map(PhysicalAddress physical, uint size)
    {
        if (!TryMap(physical, size, out MmioRegion region))
            Panic.Fail("MMIO range 0x" + physical.Value.ToString("X") + " + 0x" + size.ToString("X") + " lies outside the physical-memory window");
        return region;
    }

    /// <summary>As Map; false (instead of a panic) when the range is outside the physical-memory window.</summary>
    public static bool TryMap(PhysicalAddress physical, uint size, out MmioRegion region)
    {
        region = default;
        ulong windowSize = KernelState.BootInfo->PhysicalMemoryMappedSize;
        if (physical.Value >= windowSize || size > windowSize - physical.Value)
            return false;
        ulong virtualBase = KernelState.PhysicalMemoryOffset + physical.Value;
        for (ulong page = virtualBase & ~0xFFFUL; page < virtualBase + size; page += 0x1000)
            DisableCaching(page);
        region = new MmioRegion(physical, size, (byte*)virtualBase);
        return true;
    }

    public uint Read32(uint offset) => Volatile.Read(ref *Register(offset));

    public void Write32(uint offset, uint value) => Volatile.Write(ref *Register(offset), value);

    /// <summary>The page-table flags of the leaf entry mapping this region's first byte (to verify the caching mode).</summary>
    public PageTableFlags LeafFlags => TryFindLeaf((ulong)_base, out ulong* leaf) ? new PageTableEntry(*leaf).Flags : PageTableFlags.None;

    private uint* Register(uint offset)
    {
        if (_base == null || offset > Size - 4 || (offset & 3) != 0)
            Panic.Fail("MMIO access at offset 0x" + offset.ToString("X") + " outside the 0x" + Size.ToString("X") + "-byte region at 0x" + Physical.Value.ToString("X"));
        return (uint*)(_base + offset);
    }

    // Sets PCD | PWT on the leaf entry that maps the page. A 1 GiB leaf is split into 2 MiB pages first: it may
    // also cover RAM, which must stay cached, and relying on the MTRRs alone would leave the kernel's own
    // mapping write-back over device registers.
    private static void DisableCaching(ulong virtualAddress)
    {
        if (!TryFindLeaf(virtualAddress, out ulong* leaf, out int level))
            return;
        if (level == 3)
        {
            MapResult split = KernelPageTables.SplitHugePage(VirtualAddress.Truncate(virtualAddress));
            if (split != MapResult.Success)
                Panic.Fail("cannot split the 1 GiB window page over MMIO at 0x" + virtualAddress.ToString("X") + ": " + KernelPageTables.Describe(split));
            if (!TryFindLeaf(virtualAddress, out leaf, out level))
                return;
        }

        if ((*leaf & CacheBits) == CacheBits)
            return;
        *leaf |= CacheBits;
        ControlRegisters.InvalidatePage(VirtualAddress.Truncate(virtualAddress));
    }

    private static bool TryFindLeaf(ulong virtualAddress, out ulong* leaf) => TryFindLeaf(virtualAddress, out leaf, out _);

    // The one walk (Shared/Memory/PageTableMapper) over the active tables.
    private static bool TryFindLeaf(ulong virtualAddress, out ulong* leaf, out int level)
    {
        leaf = KernelPageTables.Active.FindLeafEntry(VirtualAddress.Truncate(virtualAddress), out level);
        return leaf != null;
    }
}
