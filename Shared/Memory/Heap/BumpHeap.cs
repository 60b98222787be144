// The blog's bump allocator: a pointer that only moves forward and a count of
// live blocks; memory comes back only when the count drops to zero, then all
// at once. The fastest design and the most wasteful: a single long-lived
// block pins everything allocated after it (the blog's many_boxes_long_lived
// test fails by design).
//
// Each block carries a 16-byte header {size, magic} so UsableSize works from
// the pointer alone and a second free is caught.
namespace Shared.Memory.Heap;

public sealed unsafe class BumpHeap
{
    public const int HeaderSize = 16;
    private const ulong Magic = 0x504D5542504D5542UL; // "BUMPBUMP"

    private byte* _regionStart;
    private byte* _regionEnd;
    private nuint _start;
    private nuint _next;
    private ulong _live;

    public bool IsInitialized => _regionStart != null;

    public byte* RegionStart => _regionStart;

    public ulong LiveBlocks => _live;

    /// <summary>Takes [start, start + size) as the heap; false when it cannot hold one block or is initialized already.</summary>
    /// <remarks>The caller guarantees the region is writable memory that nothing else uses while this heap lives.</remarks>
    public bool Initialize(void* start, nuint size)
    {
        if (IsInitialized || start == null || size < 2 * HeaderSize + 16)
            return false;
        _regionStart = (byte*)start;
        _regionEnd = (byte*)start + size;
        _start = HeapBits.AlignUp((nuint)start, 16);
        _next = _start;
        return true;
    }

    /// <summary>The region grew by <paramref name="bytes"/> after its end; false when never initialized.</summary>
    public bool Extend(nuint bytes)
    {
        if (!IsInitialized)
            return false;
        _regionEnd += bytes;
        return true;
    }

    public void* Allocate(nuint size, nuint alignment)
    {
        if (alignment < 16)
            alignment = 16;
        nuint payload = HeapBits.AlignUp(_next + HeaderSize, alignment);
        nuint end = HeapBits.AlignUp(payload + size, 16);
        if (payload < _next || end < payload || end > (nuint)_regionEnd)
            return null;
        nuint header = payload - HeaderSize;
        ((nuint*)header)[0] = end - payload;
        ((ulong*)header)[1] = Magic ^ header;
        _next = end;
        _live++;
        return (void*)payload;
    }

    /// <summary>Counts a block as freed; when none is left the whole region is free again. False for a second free.</summary>
    /// <remarks>The caller guarantees <paramref name="payload"/> came from Allocate of this heap.</remarks>
    public bool Free(void* payload)
    {
        nuint header = (nuint)payload - HeaderSize;
        if (((ulong*)header)[1] != (Magic ^ header) || _live == 0)
            return false;
        ((ulong*)header)[1] = 0;
        if (--_live == 0)
            _next = _start;
        return true;
    }

    public nuint UsableSize(void* payload) => ((nuint*)((nuint)payload - HeaderSize))[0];

    /// <summary>Free is what lies past the pointer; freed blocks below it count as used until the count reaches zero.</summary>
    public HeapCounters Counters
    {
        get
        {
            nuint size = (nuint)(_regionEnd - _regionStart);
            nuint end = HeapBits.AlignDown((nuint)_regionEnd, 16);
            nuint free = end > _next ? end - _next : 0;
            nuint overhead = (_start - (nuint)_regionStart) + ((nuint)_regionEnd - end);
            nuint largest = free >= HeaderSize ? free - HeaderSize : 0;
            return new HeapCounters(size, free, overhead, largest);
        }
    }

    public string Validate()
    {
        if (_next < _start || _next > (nuint)_regionEnd)
            return "bump pointer outside the region";
        if (_live == 0 && _next != _start)
            return "no live blocks but the pointer was not reset";
        return null;
    }
}
