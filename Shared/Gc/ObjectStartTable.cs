// The collector's own record of which addresses are managed objects: one bit
// per 8-byte granule of the heap's address range, set at the object's address
// (its MethodTable pointer, 8 bytes into its block). The heap also serves
// blocks that are not objects (native buffers), and a conservative stack word
// may point anywhere, so "is this an object?" must never be guessed from
// memory contents: only this table answers it.
//
// Two levels, so the bitmap costs memory only where the heap has objects: a
// directory with one entry per 1 MiB of address range, each pointing at a
// 16 KiB chunk of bits (allocated on first use, never freed) and a count of
// the objects recorded in it (so searches skip empty chunks in O(1)).
namespace Shared.Gc;

public unsafe struct ObjectStartTable
{
    public const int ChunkShift = 20;
    public const nuint ChunkBytes = (nuint)1 << ChunkShift;
    private const int GranuleShift = 3;
    private const int WordsPerChunk = (int)(ChunkBytes >> GranuleShift) / 64;

    /// <summary>Bytes of zeroed memory one chunk of bits needs.</summary>
    public const nuint ChunkStorageBytes = WordsPerChunk * sizeof(ulong);

    private nuint _base;
    private nuint _limit;
    private nuint _chunkCount;
    private ulong** _chunks;
    private uint* _counts;
    private delegate*<nuint, void*> _allocateZeroed;
    private nuint _recorded;
    private nuint _bitmapBytes;

    /// <summary>Covers [<paramref name="start"/>, <paramref name="start"/> + <paramref name="capacity"/>).</summary>
    /// <remarks>
    /// <paramref name="directory"/> must be zeroed memory of <see cref="DirectoryBytes"/>(capacity) bytes that
    /// stays valid; <paramref name="allocateZeroed"/> returns zeroed, 8-byte aligned memory that is never freed
    /// (or null), and must not call back into the collector.
    /// </remarks>
    public void Initialize(nuint start, nuint capacity, void* directory, delegate*<nuint, void*> allocateZeroed)
    {
        _base = start & ~(ChunkBytes - 1);
        _chunkCount = (start + capacity - _base + ChunkBytes - 1) >> ChunkShift;
        _limit = _base + (_chunkCount << ChunkShift);
        _chunks = (ulong**)directory;
        _counts = (uint*)((byte*)directory + (_chunkCount * (nuint)sizeof(ulong*)));
        _allocateZeroed = allocateZeroed;
        _recorded = 0;
        _bitmapBytes = 0;
    }

    /// <summary>Bytes of directory (chunk pointers and counts) needed for <paramref name="capacity"/> bytes of range.</summary>
    public static nuint DirectoryBytes(nuint capacity) => ((capacity >> ChunkShift) + 2) * (nuint)(sizeof(ulong*) + sizeof(uint));

    public nuint Start => _base;

    public nuint Limit => _limit;

    /// <summary>How many objects are recorded.</summary>
    public nuint Count => _recorded;

    /// <summary>Memory the bit chunks take.</summary>
    public nuint BitmapBytes => _bitmapBytes;

    /// <summary>Chunks of the directory (each covers ChunkBytes of address range).</summary>
    public nuint ChunkCount => _chunkCount;

    /// <summary>The bits of chunk <paramref name="chunk"/> (WordsPerChunk words), or null when it has no objects.</summary>
    public ulong* ChunkBits(nuint chunk) => _counts[chunk] == 0 ? null : _chunks[chunk];

    /// <summary>The address bit 0 of chunk <paramref name="chunk"/> stands for.</summary>
    public nuint ChunkAddress(nuint chunk) => _base + (chunk << ChunkShift);

    public const int ChunkWords = WordsPerChunk;

    public bool Covers(nuint address) => address - _base < _limit - _base;

    /// <summary>Records an object at <paramref name="obj"/>. False when it is outside the range or no chunk memory was left.</summary>
    public bool TryRecord(nuint obj)
    {
        if (!Covers(obj) || (obj & 7) != 0)
            return false;
        nuint chunk = (obj - _base) >> ChunkShift;
        ulong* bits = _chunks[chunk];
        if (bits == null)
        {
            bits = (ulong*)_allocateZeroed(ChunkStorageBytes);
            if (bits == null)
                return false;
            _chunks[chunk] = bits;
            _bitmapBytes += ChunkStorageBytes;
        }

        nuint granule = ((obj - _base) & (ChunkBytes - 1)) >> GranuleShift;
        ulong mask = 1UL << (int)(granule & 63);
        if ((bits[granule >> 6] & mask) == 0)
        {
            bits[granule >> 6] |= mask;
            _counts[chunk]++;
            _recorded++;
        }

        return true;
    }

    /// <summary>Forgets the object at <paramref name="obj"/> (its block is being freed).</summary>
    public void Remove(nuint obj)
    {
        if (!Covers(obj))
            return;
        nuint chunk = (obj - _base) >> ChunkShift;
        ulong* bits = _chunks[chunk];
        if (bits == null)
            return;
        nuint granule = ((obj - _base) & (ChunkBytes - 1)) >> GranuleShift;
        ulong mask = 1UL << (int)(granule & 63);
        if ((bits[granule >> 6] & mask) != 0)
        {
            bits[granule >> 6] &= ~mask;
            _counts[chunk]--;
            _recorded--;
        }
    }

    /// <summary>True when an object starts exactly at <paramref name="address"/>.</summary>
    public bool Contains(nuint address)
    {
        if (!Covers(address) || (address & 7) != 0)
            return false;
        ulong* bits = _chunks[(address - _base) >> ChunkShift];
        if (bits == null)
            return false;
        nuint granule = ((address - _base) & (ChunkBytes - 1)) >> GranuleShift;
        return (bits[granule >> 6] & (1UL << (int)(granule & 63))) != 0;
    }

    /// <summary>
    /// The object whose block contains <paramref name="address"/> (interior pointers and a pointer to the
    /// header included), or 0. Finds the nearest recorded start at or below the address, then checks the
    /// address lies inside that object.
    /// </summary>
    public nuint FindContaining(nuint address)
    {
        if (!Covers(address))
            return 0;
        nuint probe = (address + ObjectLayout.HeaderSize) & ~(nuint)7;
        if (probe >= _limit)
            probe = _limit - 8;
        nuint start = FindAtOrBelow(probe);
        if (start == 0)
            return 0;
        return address < start - ObjectLayout.HeaderSize + ObjectLayout.Size(start) ? start : 0;
    }

    // The highest recorded start at or below address.
    private nuint FindAtOrBelow(nuint address)
    {
        nuint chunk = (address - _base) >> ChunkShift;
        nuint granule = ((address - _base) & (ChunkBytes - 1)) >> GranuleShift;
        long word = (long)(granule >> 6);
        ulong mask = (granule & 63) == 63 ? ulong.MaxValue : (2UL << (int)(granule & 63)) - 1;
        while (true)
        {
            ulong* bits = _chunks[chunk];
            if (bits != null && _counts[chunk] != 0)
            {
                for (; word >= 0; word--)
                {
                    ulong value = bits[word] & mask;
                    mask = ulong.MaxValue;
                    if (value != 0)
                    {
                        nuint bit = (nuint)(word * 64) + (nuint)HighestBit(value);
                        return _base + (chunk << ChunkShift) + (bit << GranuleShift);
                    }
                }
            }

            if (chunk == 0)
                return 0;
            chunk--;
            word = WordsPerChunk - 1;
            mask = ulong.MaxValue;
        }
    }

    /// <summary>
    /// The first recorded object at or above <paramref name="cursor"/>, or 0 when none is left. Iterate with
    /// cursor = result + 8. Removing the returned object before the next call is allowed.
    /// </summary>
    public nuint NextAtOrAbove(nuint cursor)
    {
        if (cursor < _base)
            cursor = _base;
        while (cursor < _limit)
        {
            nuint chunk = (cursor - _base) >> ChunkShift;
            ulong* bits = _chunks[chunk];
            if (bits == null || _counts[chunk] == 0)
            {
                cursor = _base + ((chunk + 1) << ChunkShift);
                continue;
            }

            nuint granule = ((cursor - _base) & (ChunkBytes - 1)) >> GranuleShift;
            nuint word = granule >> 6;
            ulong value = bits[word] & (ulong.MaxValue << (int)(granule & 63));
            while (true)
            {
                if (value != 0)
                {
                    nuint bit = (word * 64) + (nuint)LowestBit(value);
                    return _base + (chunk << ChunkShift) + (bit << GranuleShift);
                }

                if (++word == WordsPerChunk)
                    break;
                value = bits[word];
            }

            cursor = _base + ((chunk + 1) << ChunkShift);
        }

        return 0;
    }

    /// <summary>The directory of bit chunks (null where a MiB has never held an object), for the collector's loops.</summary>
    internal ulong** Chunks => _chunks;

    /// <summary>
    /// After the sweep cleared <paramref name="removed"/> start bits of chunk <paramref name="chunk"/> directly in
    /// its words, brings the per-chunk and total counts up to date.
    /// </summary>
    internal void NoteRemoved(nuint chunk, nuint removed)
    {
        _counts[chunk] -= (uint)removed;
        _recorded -= removed;
    }

    // Bit scans without loops: the runtime library's BitOperations loops bit by bit, and the kernel is not
    // compiled for TZCNT/LZCNT (de Bruijn multiply-and-look-up, HeapBits).
    internal static int LowestBit(ulong value) => Shared.Memory.Heap.HeapBits.LowestSetBit(value);

    internal static int HighestBit(ulong value) => Shared.Memory.Heap.HeapBits.HighestSetBit(value);
}
