// A bounded first-in first-out channel between tasks (one writer task and
// one reader task at a time, like .NET's Channel with SingleReader and
// SingleWriter): WriteAsync waits while the channel is full, ReadAsync while
// it is empty. An operation that need not wait completes synchronously and
// allocates nothing; one that waits suspends on an AsyncSignal. Task context
// only (not for interrupt handlers: they use SpscRing and AsyncSignal).
using System;
using System.Threading.Tasks;

namespace Shared.Tasks;

public sealed class BoundedChannel<T>
{
    private readonly T[] _items;
    private readonly AsyncSignal _readable = new();
    private readonly AsyncSignal _writable = new();
    private int _head;
    private int _count;
    private bool _completed;

    public BoundedChannel(int capacity)
    {
        if (capacity < 1)
            throw new ArgumentOutOfRangeException(nameof(capacity), "a channel holds at least one item");
        _items = new T[capacity];
    }

    public int Capacity => _items.Length;

    public int Count => _count;

    /// <summary>Ends the channel: readers drain what is left, then ReadAsync returns (false, default).</summary>
    public void Complete()
    {
        _completed = true;
        _readable.Set();
    }

    public bool TryWrite(T item)
    {
        if (_completed || _count == _items.Length)
            return false;
        _items[(_head + _count) % _items.Length] = item;
        _count++;
        _readable.Set();
        return true;
    }

    public bool TryRead(out T item)
    {
        if (_count == 0)
        {
            item = default;
            return false;
        }

        item = _items[_head];
        _items[_head] = default;
        _head = (_head + 1) % _items.Length;
        _count--;
        _writable.Set();
        return true;
    }

    /// <summary>Writes <paramref name="item"/>, waiting for room. False when the channel was completed.</summary>
    public ValueTask<bool> WriteAsync(T item) => TryWrite(item) ? new ValueTask<bool>(true) : WriteSlowAsync(item);

    /// <summary>The next item; (false, default) once the channel is completed and drained.</summary>
    public ValueTask<ChannelItem<T>> ReadAsync()
        => TryRead(out T item) ? new ValueTask<ChannelItem<T>>(new ChannelItem<T>(item)) : ReadSlowAsync();

    private async ValueTask<bool> WriteSlowAsync(T item)
    {
        while (true)
        {
            if (_completed)
                return false;
            if (TryWrite(item))
                return true;
            await _writable.WaitAsync();
        }
    }

    private async ValueTask<ChannelItem<T>> ReadSlowAsync()
    {
        while (true)
        {
            if (TryRead(out T item))
                return new ChannelItem<T>(item);
            if (_completed)
                return default;
            await _readable.WaitAsync();
        }
    }
}

/// <summary>What a channel read returned: an item, or nothing because the channel ended.</summary>
public readonly struct ChannelItem<T>
{
    public ChannelItem(T value)
    {
        HasValue = true;
        Value = value;
    }

    public bool HasValue { get; }

    public T Value { get; }
}
