// A canonical x86-64 virtual address (4-level paging): bits 63..48 must copy
// bit 47. The checked constructor refuses non-canonical values; Truncate
// sign-extends bit 47 instead. Also splits an address into its page-table
// indices.
using System;

namespace Shared.Memory;

public readonly struct VirtualAddress : IEquatable<VirtualAddress>, IComparable<VirtualAddress>
{
    public VirtualAddress(ulong value)
    {
        if (!IsCanonical(value))
            throw new ArgumentOutOfRangeException(nameof(value), "virtual address is not canonical (bits 63..48 must equal bit 47)");
        Value = value;
    }

    private VirtualAddress(ulong value, bool unchecked_) => Value = value;

    public ulong Value { get; }

    public static VirtualAddress Zero => default;

    public static bool IsCanonical(ulong value)
    {
        ulong top = value >> 47;
        return top == 0 || top == 0x1FFFF;
    }

    /// <summary>Makes the address canonical by sign-extending bit 47.</summary>
    public static VirtualAddress Truncate(ulong value) => new((ulong)((long)(value << 16) >> 16), true);

    public static bool TryCreate(ulong value, out VirtualAddress address)
    {
        address = Truncate(value);
        return IsCanonical(value);
    }

    public bool IsHigherHalf => (Value >> 63) != 0;

    public int PageOffset => (int)(Value & 0xFFF);

    /// <summary>Index into the level-<paramref name="level"/> table (4 = PML4, 1 = page table).</summary>
    public int TableIndex(int level) => (int)((Value >> (12 + (9 * (level - 1)))) & 0x1FF);

    public bool IsAligned(ulong alignment) => (Value & (alignment - 1)) == 0;

    public VirtualAddress AlignDown(ulong alignment) => new(Value & ~(alignment - 1), true);

    public VirtualAddress AlignUp(ulong alignment) => new VirtualAddress((Value + alignment - 1) & ~(alignment - 1));

    public static VirtualAddress operator +(VirtualAddress address, ulong offset) => new VirtualAddress(address.Value + offset);

    public static ulong operator -(VirtualAddress a, VirtualAddress b) => a.Value - b.Value;

    public static bool operator ==(VirtualAddress a, VirtualAddress b) => a.Value == b.Value;

    public static bool operator !=(VirtualAddress a, VirtualAddress b) => a.Value != b.Value;

    public static bool operator <(VirtualAddress a, VirtualAddress b) => a.Value < b.Value;

    public static bool operator >(VirtualAddress a, VirtualAddress b) => a.Value > b.Value;

    public static bool operator <=(VirtualAddress a, VirtualAddress b) => a.Value <= b.Value;

    public static bool operator >=(VirtualAddress a, VirtualAddress b) => a.Value >= b.Value;

    public bool Equals(VirtualAddress other) => Value == other.Value;

    public int CompareTo(VirtualAddress other) => Value.CompareTo(other.Value);

    public override bool Equals(object obj) => obj is VirtualAddress other && Value == other.Value;

    public override int GetHashCode() => Value.GetHashCode();

    public override string ToString() => "0x" + Value.ToString("X16");
}
