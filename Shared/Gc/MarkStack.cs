// The mark phase's work list: objects that are marked but whose references
// have not been visited yet. A fixed buffer, so marking never allocates and
// never recurses (a 1,000,000-node list needs one slot at a time, not a
// million stack frames). When the buffer is full the object stays marked but
// is not pushed and Overflowed is set; the collector then rescans the marked
// objects of the heap until no overflow remains (see MarkSweepCollector).
//
// The collector's drain loop copies Items/Count/Capacity into locals and
// writes Count back when it is done (a field store per push and pop is what
// the hot loop must not pay); everything else goes through Push and Pop.
namespace Shared.Gc;

public unsafe struct MarkStack
{
    private nuint* _items;
    private nuint _capacity;
    private nuint _count;
    private nuint _highWater;

    /// <remarks><paramref name="items"/> must hold <paramref name="capacity"/> words and stay valid.</remarks>
    public void Initialize(nuint* items, nuint capacity)
    {
        _items = items;
        _capacity = capacity;
        _count = 0;
        _highWater = 0;
    }

    public bool Overflowed;

    public nuint Capacity => _capacity;

    /// <summary>The deepest the stack has been since Initialize.</summary>
    public nuint HighWater => _highWater;

    public bool IsEmpty => _count == 0;

    /// <summary>The buffer (for the collector's drain loop).</summary>
    internal nuint* Items => _items;

    /// <summary>Entries in use; the drain loop sets it back after working on a local copy.</summary>
    internal nuint Count
    {
        get => _count;
        set
        {
            _count = value;
            if (value > _highWater)
                _highWater = value;
        }
    }

    /// <summary>Records a depth the drain loop reached (it does not update the high-water mark per push).</summary>
    internal void NoteDepth(nuint depth)
    {
        if (depth > _highWater)
            _highWater = depth;
    }

    public void Push(nuint obj)
    {
        if (_count == _capacity)
        {
            Overflowed = true;
            return;
        }

        _items[_count++] = obj;
        if (_count > _highWater)
            _highWater = _count;
    }

    public nuint Pop() => _items[--_count];

    public void Clear()
    {
        _count = 0;
        Overflowed = false;
    }
}
