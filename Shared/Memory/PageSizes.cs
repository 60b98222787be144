// The three page sizes of x86-64 4-level paging as types, so that a 2 MiB
// page can only be mapped to a 2 MiB frame and the compiler, not a run-time
// check, refuses a mix (the x86_64 crate's Size4KiB/Size2MiB/Size1GiB).
// Each size knows its byte count, the PageSize value and the table level its
// leaf entry lives at.
namespace Shared.Memory;

public interface IPageSize
{
    /// <summary>The page size in bytes.</summary>
    static abstract ulong Bytes { get; }

    static abstract PageSize Size { get; }

    /// <summary>The table level that holds the leaf entry: 1 (page table), 2 (page directory) or 3 (PDPT).</summary>
    static abstract int LeafLevel { get; }
}

public readonly struct Size4KiB : IPageSize
{
    public static ulong Bytes => 0x1000;

    public static PageSize Size => PageSize.Size4KiB;

    public static int LeafLevel => 1;
}

public readonly struct Size2MiB : IPageSize
{
    public static ulong Bytes => 0x20_0000;

    public static PageSize Size => PageSize.Size2MiB;

    public static int LeafLevel => 2;
}

public readonly struct Size1GiB : IPageSize
{
    public static ulong Bytes => 0x4000_0000;

    public static PageSize Size => PageSize.Size1GiB;

    public static int LeafLevel => 3;
}
