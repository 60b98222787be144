// A physical frame of one of the three sizes: an aligned PhysicalAddress
// whose type says how big the frame is. Only the checked factories create
// one, so a PhysicalFrame<Size2MiB> is always 2 MiB aligned.
using System;

namespace Shared.Memory;

public readonly struct PhysicalFrame<TSize> : IEquatable<PhysicalFrame<TSize>>
    where TSize : struct, IPageSize
{
    private PhysicalFrame(PhysicalAddress start) => Start = start;

    public PhysicalAddress Start { get; }

    public static ulong Bytes => TSize.Bytes;

    /// <summary>The frame <paramref name="address"/> lies in.</summary>
    public static PhysicalFrame<TSize> Containing(PhysicalAddress address) => new(address.AlignDown(TSize.Bytes));

    /// <summary>The frame starting at <paramref name="start"/>; false when it is not aligned to the frame size.</summary>
    public static bool TryFromStart(PhysicalAddress start, out PhysicalFrame<TSize> frame)
    {
        frame = new PhysicalFrame<TSize>(start);
        return start.IsAligned(TSize.Bytes);
    }

    /// <summary>The frame starting at <paramref name="start"/>; throws when it is not aligned to the frame size.</summary>
    public static PhysicalFrame<TSize> FromStart(PhysicalAddress start)
    {
        if (!start.IsAligned(TSize.Bytes))
            throw new ArgumentException("frame start is not aligned to the frame size", nameof(start));
        return new PhysicalFrame<TSize>(start);
    }

    /// <summary>The frame <paramref name="count"/> frames further up.</summary>
    public PhysicalFrame<TSize> Add(ulong count) => new(Start + (count * TSize.Bytes));

    public bool Equals(PhysicalFrame<TSize> other) => Start == other.Start;

    public override bool Equals(object obj) => obj is PhysicalFrame<TSize> other && Equals(other);

    public override int GetHashCode() => Start.GetHashCode();

    public static bool operator ==(PhysicalFrame<TSize> a, PhysicalFrame<TSize> b) => a.Start == b.Start;

    public static bool operator !=(PhysicalFrame<TSize> a, PhysicalFrame<TSize> b) => a.Start != b.Start;

    public override string ToString() => "frame " + Start.ToString();
}

/// <summary>[Start, Start + Count frames): physically contiguous frames of one size.</summary>
public readonly struct PhysicalFrameRange<TSize>
    where TSize : struct, IPageSize
{
    public PhysicalFrameRange(PhysicalFrame<TSize> start, ulong count)
    {
        Start = start;
        Count = count;
    }

    public PhysicalFrame<TSize> Start { get; }

    public ulong Count { get; }

    public ulong Bytes => Count * TSize.Bytes;

    public PhysicalFrame<TSize> this[ulong index] => index < Count ? Start.Add(index) : throw new ArgumentOutOfRangeException(nameof(index));

    public bool Contains(PhysicalAddress address) => address >= Start.Start && address - Start.Start < Bytes;
}
