// Builds and walks 4-level x86-64 page tables: maps ranges with the largest
// page size alignment allows, translates virtual addresses back, and reports
// (rather than panics on) conflicts, so callers can print a clear error.
//
// Intermediate entries are created Present | Writable (| User if asked): the
// effective permission of a page is the intersection along the walk, so the
// leaf entry alone decides writability and execution.
using System;

namespace Shared.Memory;

public enum MapResult
{
    Success,
    OutOfMemory,

    /// <summary>A page in the range is already mapped (to anything).</summary>
    AlreadyMapped,

    /// <summary>Part of the range lies under a huge page that would have to be split.</summary>
    HugePageConflict,
    Misaligned,

    /// <summary>The range lies outside the part of the address space this mapping belongs in.</summary>
    InvalidRange,

    /// <summary>Unmap or flag update: nothing is mapped at the page.</summary>
    NotMapped,

    /// <summary>Unmap or flag update: the page is mapped, but through pages of another size than the one named.</summary>
    PageSizeMismatch,
}

/// <summary>Where a virtual address leads: the physical address, the leaf entry's flags and the page size.</summary>
public readonly struct Translation
{
    public Translation(PhysicalAddress physical, PageTableFlags flags, PageSize size)
    {
        Physical = physical;
        Flags = flags;
        Size = size;
    }

    public PhysicalAddress Physical { get; }

    public PageTableFlags Flags { get; }

    public PageSize Size { get; }

    /// <summary>The start of the page-sized frame that holds Physical.</summary>
    public PhysicalAddress FrameStart => Physical.AlignDown((ulong)Size);
}

public unsafe struct PageTableMapper<TMemory>
    where TMemory : IPageTableMemory
{
    private TMemory _memory;

    public PageTableMapper(TMemory memory, PhysicalAddress root)
    {
        _memory = memory;
        Root = root;
    }

    public PhysicalAddress Root { get; }

    /// <summary>Creates a mapper with a new, empty top-level table.</summary>
    public static bool TryCreate(TMemory memory, out PageTableMapper<TMemory> mapper)
    {
        if (!memory.TryAllocateTable(out PhysicalAddress root))
        {
            mapper = default;
            return false;
        }

        mapper = new PageTableMapper<TMemory>(memory, root);
        return true;
    }

    /// <summary>
    /// Maps [virt, virt + size) to [phys, phys + size), using pages up to <paramref name="largestPage"/> where both
    /// addresses are aligned for them and 4 KiB pages elsewhere.
    /// </summary>
    public MapResult MapRange(VirtualAddress virt, PhysicalAddress phys, ulong size, PageTableFlags flags, PageSize largestPage = PageSize.Size4KiB)
    {
        if (!virt.IsAligned(4096) || !phys.IsAligned(4096) || (size & 0xFFF) != 0)
            return MapResult.Misaligned;

        ulong offset = 0;
        while (offset < size)
        {
            ulong remaining = size - offset;
            ulong v = virt.Value + offset;
            ulong p = phys.Value + offset;
            PageSize pageSize = PageSize.Size4KiB;
            if (largestPage == PageSize.Size1GiB && ((v | p) & ((ulong)PageSize.Size1GiB - 1)) == 0 && remaining >= (ulong)PageSize.Size1GiB)
                pageSize = PageSize.Size1GiB;
            else if (largestPage != PageSize.Size4KiB && ((v | p) & ((ulong)PageSize.Size2MiB - 1)) == 0 && remaining >= (ulong)PageSize.Size2MiB)
                pageSize = PageSize.Size2MiB;

            MapResult result = Map(VirtualAddress.Truncate(v), PhysicalAddress.Truncate(p), pageSize, flags);
            if (result != MapResult.Success)
                return result;
            offset += (ulong)pageSize;
        }

        return MapResult.Success;
    }

    /// <summary>Maps one page of the given size.</summary>
    public MapResult Map(VirtualAddress virt, PhysicalAddress phys, PageSize size, PageTableFlags flags)
    {
        if (!virt.IsAligned((ulong)size) || !phys.IsAligned((ulong)size))
            return MapResult.Misaligned;

        int leafLevel = size == PageSize.Size4KiB ? 1 : size == PageSize.Size2MiB ? 2 : 3;
        PageTableFlags parentFlags = PageTableFlags.Present | PageTableFlags.Writable | (flags & PageTableFlags.User);
        ulong* table = _memory.TableEntries(Root);
        for (int level = 4; level > leafLevel; level--)
        {
            ulong* entry = table + virt.TableIndex(level);
            var current = new PageTableEntry(*entry);
            if (!current.IsPresent)
            {
                if (!_memory.TryAllocateTable(out PhysicalAddress next))
                    return MapResult.OutOfMemory;
                *entry = new PageTableEntry(next, parentFlags).Raw;
            }
            else if (current.IsHuge)
            {
                return MapResult.HugePageConflict;
            }
            else if ((flags & PageTableFlags.User) != 0 && (current.Flags & PageTableFlags.User) == 0)
            {
                *entry = current.Raw | (ulong)PageTableFlags.User;
            }

            table = _memory.TableEntries(new PageTableEntry(*entry).Address);
        }

        ulong* leaf = table + virt.TableIndex(leafLevel);
        if (new PageTableEntry(*leaf).IsPresent)
            return MapResult.AlreadyMapped;

        PageTableFlags leafFlags = flags | PageTableFlags.Present;
        if (leafLevel > 1)
            leafFlags |= PageTableFlags.HugePage;
        *leaf = new PageTableEntry(phys, leafFlags).Raw;
        return MapResult.Success;
    }

    /// <summary>Maps <paramref name="page"/> to <paramref name="frame"/>; Present (and HugePage above 4 KiB) are added.</summary>
    public MapResult Map<TSize>(Page<TSize> page, PhysicalFrame<TSize> frame, PageTableFlags flags)
        where TSize : struct, IPageSize
        => Map(page.Start, frame.Start, TSize.Size, flags);

    /// <summary>
    /// Removes the mapping of <paramref name="page"/> and returns the frame it led to. Page tables left empty by
    /// the removal are given back to the memory (IPageTableMemory.FreeTable), except the root and, in the higher
    /// half, the tables the top-level entries point to: those are shared by every address space that maps the
    /// kernel, so they stay. The caller flushes the TLB entry if these tables are live.
    /// </summary>
    public MapResult Unmap<TSize>(Page<TSize> page, out PhysicalFrame<TSize> frame)
        where TSize : struct, IPageSize
    {
        frame = default;
        MapResult found = FindLeaf(page.Start, TSize.LeafLevel, out ulong* leaf);
        if (found != MapResult.Success)
            return found;
        frame = PhysicalFrame<TSize>.Containing(new PageTableEntry(*leaf).Address);
        *leaf = 0;
        ReleaseEmptyTables(page.Start, TSize.LeafLevel);
        return MapResult.Success;
    }

    /// <summary>
    /// Replaces the flags of <paramref name="page"/>'s leaf entry (Present and, for huge pages, HugePage are kept;
    /// the frame stays). The caller flushes the TLB entry if these tables are live.
    /// </summary>
    public MapResult UpdateFlags<TSize>(Page<TSize> page, PageTableFlags flags)
        where TSize : struct, IPageSize
    {
        MapResult found = FindLeaf(page.Start, TSize.LeafLevel, out ulong* leaf);
        if (found != MapResult.Success)
            return found;
        PageTableFlags kept = PageTableFlags.Present | (TSize.LeafLevel > 1 ? PageTableFlags.HugePage : PageTableFlags.None);
        *leaf = new PageTableEntry(new PageTableEntry(*leaf).Address, (flags & ~PageTableFlags.HugePage) | kept).Raw;
        return MapResult.Success;
    }

    /// <summary>Where <paramref name="virt"/> leads, huge pages included; false when it is not mapped.</summary>
    public bool TryTranslate(VirtualAddress virt, out Translation translation)
    {
        bool mapped = TryTranslate(virt, out PhysicalAddress phys, out PageTableFlags flags, out PageSize size);
        translation = new Translation(phys, flags, size);
        return mapped;
    }

    /// <summary>
    /// The leaf entry that maps <paramref name="virt"/> (4 KiB, 2 MiB or 1 GiB) and its level (1, 2 or 3): the one
    /// walk the translate, unmap and flag-update paths share. Null when nothing maps the address.
    /// </summary>
    public ulong* FindLeafEntry(VirtualAddress virt, out int level)
    {
        ulong* table = _memory.TableEntries(Root);
        for (level = 4; level >= 1; level--)
        {
            ulong* entry = table + virt.TableIndex(level);
            var value = new PageTableEntry(*entry);
            if (!value.IsPresent)
                break;
            if (level == 1 || (value.IsHuge && level <= 3))
                return entry;
            table = _memory.TableEntries(value.Address);
        }

        level = 0;
        return null;
    }

    // The leaf entry for a page of the size whose leaf sits at leafLevel, or why there is none.
    private MapResult FindLeaf(VirtualAddress virt, int leafLevel, out ulong* leaf)
    {
        leaf = FindLeafEntry(virt, out int level);
        if (leaf == null)
            return MapResult.NotMapped;
        if (level == leafLevel)
            return MapResult.Success;
        leaf = null;

        // A huge page above the requested size covers the page: the parent entry is a huge page.
        return level > leafLevel ? MapResult.HugePageConflict : MapResult.PageSizeMismatch;
    }

    // After a leaf at leafLevel was cleared: frees each table on the path that is now all zeros, bottom up.
    private void ReleaseEmptyTables(VirtualAddress virt, int leafLevel)
    {
        ulong* level4 = _memory.TableEntries(Root);
        ulong* level2 = null, level1 = null;
        ulong* level3 = _memory.TableEntries(new PageTableEntry(level4[virt.TableIndex(4)]).Address);
        if (leafLevel <= 2)
            level2 = _memory.TableEntries(new PageTableEntry(level3[virt.TableIndex(3)]).Address);
        if (leafLevel == 1)
            level1 = _memory.TableEntries(new PageTableEntry(level2[virt.TableIndex(2)]).Address);

        if (leafLevel == 1 && !ReleaseIfEmpty(level1, level2 + virt.TableIndex(2)))
            return;
        if (leafLevel <= 2 && !ReleaseIfEmpty(level2, level3 + virt.TableIndex(3)))
            return;
        if (!virt.IsHigherHalf)
            ReleaseIfEmpty(level3, level4 + virt.TableIndex(4));
    }

    private bool ReleaseIfEmpty(ulong* table, ulong* parentEntry)
    {
        for (int i = 0; i < 512; i++)
        {
            if (table[i] != 0)
                return false;
        }

        PhysicalAddress frame = new PageTableEntry(*parentEntry).Address;
        *parentEntry = 0;
        _memory.FreeTable(frame);
        return true;
    }

    /// <summary>
    /// Empties top-level entries [first, first + count): everything they mapped disappears at once (entries 0..255
    /// are the low half). The tables below are not freed. The caller reloads CR3 if these tables are live.
    /// </summary>
    public void ClearTopLevelEntries(int first, int count)
    {
        if (first < 0 || count < 0 || first + count > 512)
            throw new ArgumentOutOfRangeException(nameof(count), "a top-level table has 512 entries");
        ulong* table = _memory.TableEntries(Root);
        for (int i = first; i < first + count; i++)
            table[i] = 0;
    }

    /// <summary>The raw top-level entry <paramref name="index"/> (0..511).</summary>
    public PageTableEntry TopLevelEntry(int index)
    {
        if ((uint)index >= 512)
            throw new ArgumentOutOfRangeException(nameof(index), "a top-level table has 512 entries");
        return new PageTableEntry(_memory.TableEntries(Root)[index]);
    }

    /// <summary>Walks the tables for <paramref name="virt"/>.</summary>
    public bool TryTranslate(VirtualAddress virt, out PhysicalAddress phys, out PageTableFlags flags, out PageSize size)
    {
        ulong* table = _memory.TableEntries(Root);
        for (int level = 4; level >= 1; level--)
        {
            var entry = new PageTableEntry(table[virt.TableIndex(level)]);
            if (!entry.IsPresent)
                break;

            if (level == 1 || (entry.IsHuge && level <= 3))
            {
                size = level == 1 ? PageSize.Size4KiB : level == 2 ? PageSize.Size2MiB : PageSize.Size1GiB;
                ulong offsetMask = (ulong)size - 1;
                ulong frame = entry.Raw & PageTableEntry.AddressMask & ~offsetMask;
                phys = PhysicalAddress.Truncate(frame | (virt.Value & offsetMask));
                flags = entry.Flags;
                return true;
            }

            table = _memory.TableEntries(entry.Address);
        }

        phys = default;
        flags = PageTableFlags.None;
        size = PageSize.Size4KiB;
        return false;
    }
}
