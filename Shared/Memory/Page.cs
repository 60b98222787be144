// A virtual page of one of the three sizes: an aligned VirtualAddress whose
// type says how big the page is. Only the checked factories create one, so a
// Page<Size2MiB> is always 2 MiB aligned.
using System;

namespace Shared.Memory;

public readonly struct Page<TSize> : IEquatable<Page<TSize>>
    where TSize : struct, IPageSize
{
    private Page(VirtualAddress start) => Start = start;

    public VirtualAddress Start { get; }

    public static ulong Bytes => TSize.Bytes;

    /// <summary>The page <paramref name="address"/> lies in.</summary>
    public static Page<TSize> Containing(VirtualAddress address) => new(address.AlignDown(TSize.Bytes));

    /// <summary>The page starting at <paramref name="start"/>; false when it is not aligned to the page size.</summary>
    public static bool TryFromStart(VirtualAddress start, out Page<TSize> page)
    {
        page = new Page<TSize>(start);
        return start.IsAligned(TSize.Bytes);
    }

    /// <summary>The page starting at <paramref name="start"/>; throws when it is not aligned to the page size.</summary>
    public static Page<TSize> FromStart(VirtualAddress start)
    {
        if (!start.IsAligned(TSize.Bytes))
            throw new ArgumentException("page start is not aligned to the page size", nameof(start));
        return new Page<TSize>(start);
    }

    /// <summary>The page <paramref name="count"/> pages further up (the address must stay canonical).</summary>
    public Page<TSize> Add(ulong count) => new(Start + (count * TSize.Bytes));

    public bool Equals(Page<TSize> other) => Start == other.Start;

    public override bool Equals(object obj) => obj is Page<TSize> other && Equals(other);

    public override int GetHashCode() => Start.GetHashCode();

    public static bool operator ==(Page<TSize> a, Page<TSize> b) => a.Start == b.Start;

    public static bool operator !=(Page<TSize> a, Page<TSize> b) => a.Start != b.Start;

    public override string ToString() => "page " + Start.ToString();
}

/// <summary>[Start, Start + Count pages): consecutive pages of one size.</summary>
public readonly struct PageRange<TSize>
    where TSize : struct, IPageSize
{
    public PageRange(Page<TSize> start, ulong count)
    {
        Start = start;
        Count = count;
    }

    public Page<TSize> Start { get; }

    public ulong Count { get; }

    public ulong Bytes => Count * TSize.Bytes;

    public Page<TSize> this[ulong index] => index < Count ? Start.Add(index) : throw new ArgumentOutOfRangeException(nameof(index));

    public bool Contains(VirtualAddress address) => address >= Start.Start && address - Start.Start < Bytes;
}
