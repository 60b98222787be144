// One 64-bit entry of an x86-64 page table (any level), and its flag bits.
using System;

namespace Shared.Memory;

[Flags]
public enum PageTableFlags : ulong
{
    None = 0,
    Present = 1UL << 0,
    Writable = 1UL << 1,
    User = 1UL << 2,
    WriteThrough = 1UL << 3,
    CacheDisable = 1UL << 4,
    Accessed = 1UL << 5,
    Dirty = 1UL << 6,

    /// <summary>In a level-2 or level-3 entry: maps a 2 MiB or 1 GiB page instead of pointing to a table.</summary>
    HugePage = 1UL << 7,
    Global = 1UL << 8,

    /// <summary>Free for the OS (bits 9-11). The kernel marks guard pages with it.</summary>
    Available9 = 1UL << 9,
    NoExecute = 1UL << 63,
}

public readonly struct PageTableEntry : IEquatable<PageTableEntry>
{
    /// <summary>Bits 12..51: the physical frame (or next table) address.</summary>
    public const ulong AddressMask = 0x000F_FFFF_FFFF_F000;

    private const ulong FlagsMask = ~AddressMask;

    public PageTableEntry(ulong raw) => Raw = raw;

    public PageTableEntry(PhysicalAddress address, PageTableFlags flags)
    {
        if ((address.Value & ~AddressMask) != 0)
            throw new ArgumentException("a page-table entry needs a 4 KiB aligned address", nameof(address));
        Raw = address.Value | ((ulong)flags & FlagsMask);
    }

    public ulong Raw { get; }

    public bool IsPresent => (Raw & (ulong)PageTableFlags.Present) != 0;

    public bool IsUnused => Raw == 0;

    public bool IsHuge => (Raw & (ulong)PageTableFlags.HugePage) != 0;

    public PhysicalAddress Address => PhysicalAddress.Truncate(Raw & AddressMask);

    public PageTableFlags Flags => (PageTableFlags)(Raw & FlagsMask);

    /// <summary>
    /// The page-attribute-table entry (0..7) this leaf selects: PAT * 4 + PCD * 2 + PWT. The PAT bit is bit 7 in a
    /// 4 KiB entry (<paramref name="level"/> 1) and bit 12 in a 2 MiB or 1 GiB one (where bit 7 is the huge bit).
    /// </summary>
    public int PatIndex(int level)
    {
        int pat = level == 1 ? (int)((Raw >> 7) & 1) : (int)((Raw >> 12) & 1);
        return (pat << 2) | (int)((Raw >> 4) & 1) << 1 | (int)((Raw >> 3) & 1);
    }

    /// <summary>This leaf with its memory-type bits replaced so that it selects PAT entry <paramref name="index"/> (0..7).</summary>
    public PageTableEntry WithPatIndex(int level, int index)
    {
        ulong patBit = level == 1 ? 1UL << 7 : 1UL << 12;
        ulong raw = Raw & ~(patBit | (ulong)PageTableFlags.CacheDisable | (ulong)PageTableFlags.WriteThrough);
        raw |= ((index & 4) != 0 ? patBit : 0) | ((index & 2) != 0 ? (ulong)PageTableFlags.CacheDisable : 0) | ((index & 1) != 0 ? (ulong)PageTableFlags.WriteThrough : 0);
        return new PageTableEntry(raw);
    }

    public bool Equals(PageTableEntry other) => Raw == other.Raw;

    public override bool Equals(object obj) => obj is PageTableEntry other && Raw == other.Raw;

    public override int GetHashCode() => Raw.GetHashCode();

    public override string ToString() => "PTE(0x" + Raw.ToString("X16") + ")";
}
