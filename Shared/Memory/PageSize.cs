namespace Shared.Memory;

/// <summary>The three page sizes of x86-64 4-level paging.</summary>
public enum PageSize : ulong
{
    Size4KiB = 0x1000,
    Size2MiB = 0x20_0000,
    Size1GiB = 0x4000_0000,
}
