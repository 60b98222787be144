// The mark phase's work list: objects that are marked but whose references
// have not been visited yet. A fixed buffer, so marking never allocates and
// never recurses (a 1,000,000-node list needs one slot at a time, not a
// million stack frames). When the buffer is full the object stays marked but
// is not pushed and Overflowed is set; the collector then rescans the marked
// objects of the heap until no overflow remains (see MarkSweepCollector).
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
