// The exception clauses ILCompiler emits for a method (its "EH info", found
// through the method's unwind block): a count, then per clause the try
// region's start offset, (try length << 2) | kind, the handler's offset, and
// for a typed catch the RVA of the caught type's MethodTable (4 bytes), for a
// filter the filter funclet's offset. Offsets count from the start of the
// method (funclets included: they follow the method body). Integers use
// NativeAOT's variable-length encoding (the low bits of the first byte say
// how many bytes follow). Clauses come innermost first; a finally is emitted
// as a fault clause, since both run on the exceptional path only - the normal
// path calls or inlines the finally by itself.
using System;
using System.Buffers.Binary;

namespace Internal.Runtime.Unwinding;

public enum EHClauseKind : byte
{
    TypedCatch = 0,
    Fault = 1,
    Filter = 2,
}

public readonly struct EHClause
{
    public readonly EHClauseKind Kind;
    public readonly uint TryStart;
    public readonly uint TryEnd;
    public readonly uint Handler;

    /// <summary>For a filter: the filter funclet's offset. For a typed catch: the catch type's MethodTable RVA.</summary>
    public readonly uint FilterOrType;

    public EHClause(EHClauseKind kind, uint tryStart, uint tryEnd, uint handler, uint filterOrType)
    {
        Kind = kind;
        TryStart = tryStart;
        TryEnd = tryEnd;
        Handler = handler;
        FilterOrType = filterOrType;
    }

    /// <summary>True if <paramref name="offset"/> (from the method's start) lies in the try region.</summary>
    public bool Covers(uint offset) => offset >= TryStart && offset < TryEnd;

    public bool SameTryAs(EHClause other) => TryStart == other.TryStart && TryEnd == other.TryEnd;
}

/// <summary>Walks the clauses of one method's EH info.</summary>
public ref struct EHClauseReader
{
    private readonly ReadOnlySpan<byte> _image;
    private int _position;
    private uint _remaining;

    public EHClauseReader(ReadOnlySpan<byte> image, uint ehInfoRva)
    {
        _image = image;
        _position = (int)ehInfoRva;
        _remaining = DecodeUnsigned(image, ref _position);
        Count = (int)_remaining;
    }

    public int Count { get; }

    public bool TryNext(out EHClause clause)
    {
        if (_remaining == 0)
        {
            clause = default;
            return false;
        }

        _remaining--;
        uint tryStart = DecodeUnsigned(_image, ref _position);
        uint lengthAndKind = DecodeUnsigned(_image, ref _position);
        uint handler = DecodeUnsigned(_image, ref _position);
        var kind = (EHClauseKind)(lengthAndKind & 3);
        uint extra = 0;
        if (kind == EHClauseKind.TypedCatch)
        {
            extra = BinaryPrimitives.ReadUInt32LittleEndian(_image.Slice(_position));
            _position += 4;
        }
        else if (kind == EHClauseKind.Filter)
        {
            extra = DecodeUnsigned(_image, ref _position);
        }

        clause = new EHClause(kind, tryStart, tryStart + (lengthAndKind >> 2), handler, extra);
        return true;
    }

    /// <summary>NativeAOT's variable-length unsigned integer: 1 to 5 bytes.</summary>
    public static uint DecodeUnsigned(ReadOnlySpan<byte> data, ref int position)
    {
        uint first = data[position];
        if ((first & 1) == 0)
        {
            position += 1;
            return first >> 1;
        }

        if ((first & 2) == 0)
        {
            uint value = (first >> 2) | ((uint)data[position + 1] << 6);
            position += 2;
            return value;
        }

        if ((first & 4) == 0)
        {
            uint value = (first >> 3) | ((uint)data[position + 1] << 5) | ((uint)data[position + 2] << 13);
            position += 3;
            return value;
        }

        if ((first & 8) == 0)
        {
            uint value = (first >> 4) | ((uint)data[position + 1] << 4) | ((uint)data[position + 2] << 12) | ((uint)data[position + 3] << 20);
            position += 4;
            return value;
        }

        uint full = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(position + 1));
        position += 5;
        return full;
    }
}
