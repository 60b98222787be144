// C#'s ^n (index from end) and a..b (range) operators.
using System.Runtime.CompilerServices;

namespace System;

public readonly struct Index : IEquatable<Index>
{
    private readonly int _value;

    public Index(int value, bool fromEnd = false)
    {
        if (value < 0)
            ThrowHelper.ThrowArgumentOutOfRange("value");
        _value = fromEnd ? ~value : value;
    }

    private Index(int value, bool raw, bool unused) => _value = value;

    public static Index Start => new Index(0, true, false);

    public static Index End => new Index(~0, true, false);

    public static Index FromStart(int value) => new Index(value);

    public static Index FromEnd(int value) => new Index(value, true);

    public int Value => _value < 0 ? ~_value : _value;

    public bool IsFromEnd => _value < 0;

    public int GetOffset(int length) => _value < 0 ? length + _value + 1 : _value;

    public static implicit operator Index(int value) => FromStart(value);

    public bool Equals(Index other) => _value == other._value;

    public override bool Equals(object value) => value is Index other && _value == other._value;

    public override int GetHashCode() => _value;
}

public readonly struct Range : IEquatable<Range>
{
    public Range(Index start, Index end)
    {
        Start = start;
        End = end;
    }

    public Index Start { get; }

    public Index End { get; }

    public static Range All => new Range(Index.Start, Index.End);

    public static Range StartAt(Index start) => new Range(start, Index.End);

    public static Range EndAt(Index end) => new Range(Index.Start, end);

    public (int Offset, int Length) GetOffsetAndLength(int length)
    {
        int start = Start.GetOffset(length);
        int end = End.GetOffset(length);
        if ((uint)end > (uint)length || (uint)start > (uint)end)
            ThrowHelper.ThrowArgumentOutOfRange("length");
        return (start, end - start);
    }

    public bool Equals(Range other) => Start.Equals(other.Start) && End.Equals(other.End);

    public override bool Equals(object value) => value is Range other && Equals(other);

    public override int GetHashCode() => (Start.GetHashCode() * 31) + End.GetHashCode();
}
