// The blog's linked-list allocator, with its known flaws fixed: free regions
// form one list sorted by address; allocation takes the first region that
// fits (first fit) and splits it; freeing merges the region with both
// neighbours; the alignment padding in front of a block goes back on the list
// (blog_os issue #796: the blog's version leaks it). The cases of the
// linked_list_allocator security advisory (RUSTSEC-2022-0063) are handled:
// a region too small for a node is refused, extending an uninitialized heap is
// refused, an extension smaller than a node is kept and merged with the next
// one, and sizes that are not a multiple of the node size are rounded (start
// up, end down, requests up) so a node never straddles the end.
//
// Every live block starts with a 16-byte header {block size, magic} so Free
// and UsableSize need only the pointer (the runtime's free has no size).
// Allocation and free are O(number of free regions): simple, not fast.
namespace Shared.Memory.Heap;

public sealed unsafe class LinkedListHeap
{
    /// <summary>A free region's node {size, next}; also the unit every size is rounded to.</summary>
    public const int NodeSize = 16;
    public const int HeaderSize = 16;
    private const ulong Magic = 0x4B4F4C4253494C4CUL; // "LLSBLOK"

    private Node* _head;
    private byte* _regionStart;
    private byte* _regionEnd;

    // Where usable space ends: _regionEnd rounded down, minus a pending extension too small for a node.
    private byte* _usableEnd;
    private nuint _free;
    private nuint _used;

    private struct Node
    {
        public nuint Size;
        public Node* Next;
    }

    public bool IsInitialized => _regionStart != null;

    public byte* RegionStart => _regionStart;

    /// <summary>Takes [start, start + size) as the heap; false when it cannot hold one node or is initialized already.</summary>
    /// <remarks>The caller guarantees the region is writable memory that nothing else uses while this heap lives.</remarks>
    public bool Initialize(void* start, nuint size)
    {
        if (IsInitialized || start == null)
            return false;
        nuint alignedStart = HeapBits.AlignUp((nuint)start, NodeSize);
        nuint alignedEnd = HeapBits.AlignDown((nuint)start + size, NodeSize);
        if (alignedEnd < alignedStart + NodeSize + HeaderSize)
            return false;
        _regionStart = (byte*)start;
        _regionEnd = (byte*)start + size;
        _usableEnd = (byte*)alignedEnd;
        _head = null;
        AddFree(alignedStart, alignedEnd - alignedStart);
        return true;
    }

    /// <summary>
    /// The region grew by <paramref name="bytes"/> after its end. Less than a node's worth is kept and merged
    /// with the next extension. False when the heap was never initialized.
    /// </summary>
    /// <remarks>The caller guarantees the new bytes are writable memory that nothing else uses.</remarks>
    public bool Extend(nuint bytes)
    {
        if (!IsInitialized)
            return false;
        _regionEnd += bytes;
        nuint newEnd = HeapBits.AlignDown((nuint)_regionEnd, NodeSize);
        if (newEnd - (nuint)_usableEnd < NodeSize)
            return true;
        nuint start = (nuint)_usableEnd;
        _usableEnd = (byte*)newEnd;
        AddFree(start, newEnd - start);
        return true;
    }

    /// <summary>First fit: a block of at least <paramref name="size"/> bytes aligned to <paramref name="alignment"/> (a power of two), or null.</summary>
    public void* Allocate(nuint size, nuint alignment)
    {
        if (size > (nuint)(_usableEnd - _regionStart))
            return null;
        size = size == 0 ? NodeSize : HeapBits.AlignUp(size, NodeSize);
        if (alignment < NodeSize)
            alignment = NodeSize;

        Node* previous = null;
        for (Node* node = _head; node != null; previous = node, node = node->Next)
        {
            nuint start = (nuint)node;
            nuint end = start + node->Size;

            // Every address and size here is a multiple of NodeSize, so the padding in front and the
            // rest behind are either empty or big enough to be nodes themselves.
            nuint payload = HeapBits.AlignUp(start + HeaderSize, alignment);
            nuint blockStart = payload - HeaderSize;
            nuint blockEnd = payload + size;
            if (blockEnd > end || blockEnd < payload)
                continue;

            Node* next = node->Next;
            Node* link = previous;
            if (blockStart > start)
            {
                node->Size = blockStart - start; // the padding stays on the list
                link = node;
            }
            else
            {
                Unlink(previous, next);
            }

            if (end > blockEnd)
            {
                Node* rest = (Node*)blockEnd;
                rest->Size = end - blockEnd;
                rest->Next = next;
                if (link == null)
                    _head = rest;
                else
                    link->Next = rest;
            }
            else if (link != null)
            {
                link->Next = next;
            }

            nuint footprint = blockEnd - blockStart;
            _free -= footprint;
            _used += footprint;
            ((nuint*)blockStart)[0] = footprint;
            ((ulong*)blockStart)[1] = Magic ^ blockStart;
            return (void*)payload;
        }

        return null;
    }

    /// <summary>Puts a block back on the list, merged with free neighbours. False if it is not a live block (bad header).</summary>
    /// <remarks>The caller guarantees <paramref name="payload"/> came from Allocate of this heap.</remarks>
    public bool Free(void* payload)
    {
        nuint blockStart = (nuint)payload - HeaderSize;
        if (((ulong*)blockStart)[1] != (Magic ^ blockStart))
            return false;
        nuint footprint = ((nuint*)blockStart)[0];
        ((ulong*)blockStart)[1] = 0;
        _used -= footprint;
        AddFree(blockStart, footprint);
        return true;
    }

    public nuint UsableSize(void* payload) => ((nuint*)((nuint)payload - HeaderSize))[0] - HeaderSize;

    public HeapCounters Counters
    {
        get
        {
            nuint size = (nuint)(_regionEnd - _regionStart);
            nuint largest = 0;
            for (Node* node = _head; node != null; node = node->Next)
            {
                if (node->Size > largest)
                    largest = node->Size;
            }

            return new HeapCounters(size, _free, size - _free - _used, largest >= HeaderSize + NodeSize ? largest - HeaderSize : 0);
        }
    }

    /// <summary>Checks the list: sorted, inside the region, merged, sums matching. Null when consistent.</summary>
    public string Validate()
    {
        nuint free = 0;
        Node* previous = null;
        for (Node* node = _head; node != null; node = node->Next)
        {
            if ((byte*)node < _regionStart || (byte*)node + node->Size > _usableEnd)
                return "free region outside the heap";
            if (node->Size < NodeSize || (node->Size % NodeSize) != 0 || ((nuint)node % NodeSize) != 0)
                return "free region of a bad size or alignment";
            if (previous != null && (byte*)previous + previous->Size >= (byte*)node)
                return (byte*)previous + previous->Size == (byte*)node ? "adjacent free regions not merged" : "free list out of order or overlapping";
            free += node->Size;
            previous = node;
        }

        if (free != _free)
            return "free bytes counted " + ((ulong)_free).ToString() + ", found " + ((ulong)free).ToString();
        return null;
    }

    // Inserts [start, start + size) in address order, merging with the regions on both sides.
    private void AddFree(nuint start, nuint size)
    {
        _free += size;
        Node* previous = null;
        Node* next = _head;
        while (next != null && (nuint)next < start)
        {
            previous = next;
            next = next->Next;
        }

        Node* node = (Node*)start;
        node->Size = size;
        node->Next = next;
        if (next != null && start + size == (nuint)next)
        {
            node->Size += next->Size;
            node->Next = next->Next;
        }

        if (previous != null && (nuint)previous + previous->Size == start)
        {
            previous->Size += node->Size;
            previous->Next = node->Next;
        }
        else if (previous != null)
        {
            previous->Next = node;
        }
        else
        {
            _head = node;
        }
    }

    private void Unlink(Node* previous, Node* next)
    {
        if (previous == null)
            _head = next;
        else
            previous->Next = next;
    }
}
