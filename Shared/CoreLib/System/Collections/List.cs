// A growable array. Growth doubles the capacity and copies; with no garbage
// collector the old array is not freed, so size lists up front where you can.
using System.Runtime.CompilerServices;

namespace System.Collections.Generic;

public sealed class List<T>
{
    private T[] _items;
    private int _count;

    public List()
        : this(4)
    {
    }

    public List(int capacity)
    {
        if (capacity < 0)
            ThrowHelper.ThrowArgumentOutOfRange(nameof(capacity));
        _items = new T[capacity];
    }

    public int Count => _count;

    public int Capacity => _items.Length;

    public T this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_count)
                ThrowHelper.ThrowArgumentOutOfRange(nameof(index));
            return _items[index];
        }

        set
        {
            if ((uint)index >= (uint)_count)
                ThrowHelper.ThrowArgumentOutOfRange(nameof(index));
            _items[index] = value;
        }
    }

    public void Add(T item)
    {
        if (_count == _items.Length)
            Grow(_count + 1);
        _items[_count++] = item;
    }

    public void Insert(int index, T item)
    {
        if ((uint)index > (uint)_count)
            ThrowHelper.ThrowArgumentOutOfRange(nameof(index));
        if (_count == _items.Length)
            Grow(_count + 1);
        for (int i = _count; i > index; i--)
            _items[i] = _items[i - 1];
        _items[index] = item;
        _count++;
    }

    public void RemoveAt(int index)
    {
        if ((uint)index >= (uint)_count)
            ThrowHelper.ThrowArgumentOutOfRange(nameof(index));
        _count--;
        for (int i = index; i < _count; i++)
            _items[i] = _items[i + 1];
        _items[_count] = default;
    }

    public void Clear()
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
            new Span<T>(_items, 0, _count).Clear();
        _count = 0;
    }

    public Span<T> AsSpan() => new Span<T>(_items, 0, _count);

    public T[] ToArray() => new ReadOnlySpan<T>(_items, 0, _count).ToArray();

    public Enumerator GetEnumerator() => new Enumerator(this);

    private void Grow(int needed)
    {
        int capacity = _items.Length == 0 ? 4 : _items.Length * 2;
        if (capacity < needed)
            capacity = needed;
        T[] larger = new T[capacity];
        new ReadOnlySpan<T>(_items, 0, _count).CopyTo(larger);
        _items = larger;
    }

    public struct Enumerator
    {
        private readonly List<T> _list;
        private int _index;

        internal Enumerator(List<T> list)
        {
            _list = list;
            _index = -1;
        }

        public bool MoveNext() => ++_index < _list._count;

        public T Current => _list._items[_index];
    }
}
