// A physical address: at most 52 bits on x86-64. The checked constructor
// refuses anything wider; Truncate drops the high bits on purpose.
using System;

namespace Shared.Memory;

public readonly struct PhysicalAddress : IEquatable<PhysicalAddress>, IComparable<PhysicalAddress>
{
    public const ulong MaxValue = (1UL << 52) - 1;

    public PhysicalAddress(ulong value)
    {
        if (value > MaxValue)
            throw new ArgumentOutOfRangeException(nameof(value), "physical addresses are at most 52 bits wide");
        Value = value;
    }

    private PhysicalAddress(ulong value, bool unchecked_) => Value = value;

    public ulong Value { get; }

    public static PhysicalAddress Zero => default;

    public static PhysicalAddress Truncate(ulong value) => new(value & MaxValue, true);

    public static bool TryCreate(ulong value, out PhysicalAddress address)
    {
        address = new PhysicalAddress(value & MaxValue, true);
        return value <= MaxValue;
    }

    public bool IsAligned(ulong alignment) => (Value & (alignment - 1)) == 0;

    public PhysicalAddress AlignDown(ulong alignment) => new(Value & ~(alignment - 1), true);

    public PhysicalAddress AlignUp(ulong alignment) => new PhysicalAddress((Value + alignment - 1) & ~(alignment - 1));

    public static PhysicalAddress operator +(PhysicalAddress address, ulong offset) => new PhysicalAddress(address.Value + offset);

    public static ulong operator -(PhysicalAddress a, PhysicalAddress b) => a.Value - b.Value;

    public static bool operator ==(PhysicalAddress a, PhysicalAddress b) => a.Value == b.Value;

    public static bool operator !=(PhysicalAddress a, PhysicalAddress b) => a.Value != b.Value;

    public static bool operator <(PhysicalAddress a, PhysicalAddress b) => a.Value < b.Value;

    public static bool operator >(PhysicalAddress a, PhysicalAddress b) => a.Value > b.Value;

    public static bool operator <=(PhysicalAddress a, PhysicalAddress b) => a.Value <= b.Value;

    public static bool operator >=(PhysicalAddress a, PhysicalAddress b) => a.Value >= b.Value;

    public bool Equals(PhysicalAddress other) => Value == other.Value;

    public int CompareTo(PhysicalAddress other) => Value.CompareTo(other.Value);

    public override bool Equals(object obj) => obj is PhysicalAddress other && Value == other.Value;

    public override int GetHashCode() => Value.GetHashCode();

    public override string ToString() => "0x" + Value.ToString("X");
}
