// One bit per 8 bytes of the heap region, set at the start of every live
// block. It is what a collector needs from the heap whatever design is
// behind it: "is this address inside a live block, and where does the block
// start" (scan backwards to the nearest set bit, then compare with the
// block's usable size) and "enumerate the live blocks" (scan forwards). It is
// also how the kernel heap recognises a free of a pointer it never handed
// out, or a second free, before the design sees it.
//
// Cost: 1/64 of the region it covers (2 MiB for 128 MiB), reserved for the
// heap's maximum size up front.
using System.Runtime.CompilerServices;

namespace Shared.Memory.Heap;

public unsafe struct LiveBlockMap
{
    public const int GranuleShift = 3;
    public const int Granule = 1 << GranuleShift;

    private ulong* _bits;
    private nuint _words;
    private nuint _base;

    /// <summary>Bytes of bitmap needed to cover <paramref name="bytes"/> of heap.</summary>
    public static nuint BytesFor(nuint bytes) => ((bytes + (64 * Granule) - 1) / (64 * Granule)) * 8;

    /// <summary>Covers [baseAddress, baseAddress + coveredBytes) with the zeroed bitmap at <paramref name="bits"/>.</summary>
    /// <remarks>The caller guarantees <paramref name="bits"/> holds BytesFor(coveredBytes) writable, zeroed bytes for as long as the map is used.</remarks>
    public LiveBlockMap(ulong* bits, nuint baseAddress, nuint coveredBytes)
    {
        _bits = bits;
        _words = BytesFor(coveredBytes) / 8;
        _base = HeapBits.AlignDown(baseAddress, Granule);
    }

    public nuint Base => _base;

    public nuint End => _base + (_words * 64 * Granule);

    public bool Covers(nuint address) => address >= _base && address < End;

    /// <summary>Marks a block start; false if it was already marked (or is not covered).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // on every allocation: a call costs more than the body
    public bool Set(nuint address)
    {
        if (!Covers(address) || (address & (Granule - 1)) != 0)
            return false;
        nuint index = (address - _base) >> GranuleShift;
        ulong bit = 1UL << (int)(index & 63);
        ulong* word = _bits + (index >> 6);
        if ((*word & bit) != 0)
            return false;
        *word |= bit;
        return true;
    }

    /// <summary>Unmarks a block start; false if it was not marked (not a live block: a stray or second free).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // on every free
    public bool Clear(nuint address)
    {
        if (!Covers(address) || (address & (Granule - 1)) != 0)
            return false;
        nuint index = (address - _base) >> GranuleShift;
        ulong bit = 1UL << (int)(index & 63);
        ulong* word = _bits + (index >> 6);
        if ((*word & bit) == 0)
            return false;
        *word &= ~bit;
        return true;
    }

    public bool IsSet(nuint address)
    {
        if (!Covers(address) || (address & (Granule - 1)) != 0)
            return false;
        nuint index = (address - _base) >> GranuleShift;
        return (_bits[index >> 6] & (1UL << (int)(index & 63))) != 0;
    }

    /// <summary>The nearest marked start at or below <paramref name="address"/>, not below <paramref name="floor"/>.</summary>
    public bool FindAtOrBefore(nuint address, nuint floor, out nuint start)
    {
        start = 0;
        if (address < _base)
            return false;
        if (address >= End)
            address = End - 1;
        if (floor < _base)
            floor = _base;
        nuint index = (address - _base) >> GranuleShift;
        nuint word = index >> 6;
        nuint floorWord = (floor - _base) >> (GranuleShift + 6);
        ulong bits = _bits[word] & (ulong.MaxValue >> (63 - (int)(index & 63)));
        while (bits == 0)
        {
            if (word <= floorWord)
                return false;
            bits = _bits[--word];
        }

        start = _base + ((((word << 6) + (nuint)HeapBits.HighestSetBit(bits))) << GranuleShift);
        return start >= floor;
    }

    /// <summary>The first marked start at or above <paramref name="address"/>.</summary>
    public bool FindAtOrAfter(nuint address, out nuint start)
    {
        start = 0;
        if (address < _base)
            address = _base;
        if (address >= End)
            return false;
        nuint index = (address - _base) >> GranuleShift;
        nuint word = index >> 6;
        ulong bits = _bits[word] & (ulong.MaxValue << (int)(index & 63));
        while (bits == 0)
        {
            if (++word >= _words)
                return false;
            bits = _bits[word];
        }

        start = _base + (((word << 6) + (nuint)HeapBits.LowestSetBit(bits)) << GranuleShift);
        return true;
    }
}
