// A bounded, lock-free queue for exactly one producer and one consumer: the
// path from an interrupt handler (producer: scancodes, serial bytes) to the
// task that processes them (consumer). Neither side ever waits or takes a
// lock, so the handler cannot deadlock against the task it interrupted.
//
// How it stays correct without locks:
//   - Head is written only by the consumer, Tail only by the producer. Both
//     are free-running 32-bit counters; Tail - Head is the fill level (this
//     stays right across wrap-around because capacity is a power of two
//     that divides 2^32), and counter & mask is the slot.
//   - The producer writes the slot, then publishes it with a release write
//     of Tail; the consumer reads Tail with an acquire read before reading
//     the slot. So the consumer never sees a slot before its contents.
//   - Symmetrically, the consumer releases the slot by a release write of
//     Head after reading it; the producer's acquire read of Head means it
//     never overwrites a slot that is still being read.
//   - Head and Tail sit on separate cache lines so the two sides do not
//     make each other's cache line bounce between CPUs.
// When the ring is full, TryPush fails and counts the drop (DroppedCount);
// the caller decides how loudly to say so (DropReporter).
using System;
using System.Threading;

namespace Shared.Collections;

public sealed class SpscRing<T>
    where T : unmanaged
{
    private readonly T[] _slots;
    private readonly uint _mask;
    private PaddedCounter _head;
    private PaddedCounter _tail;
    private PaddedCounter _dropped;

    /// <summary>A ring of <paramref name="capacity"/> slots; capacity must be a power of two from 2 to 2^30.</summary>
    public SpscRing(int capacity)
    {
        if (capacity < 2 || capacity > (1 << 30) || (capacity & (capacity - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(capacity), "the capacity must be a power of two from 2 to 2^30");
        _slots = new T[capacity];
        _mask = (uint)capacity - 1;
    }

    public int Capacity => _slots.Length;

    /// <summary>Items waiting; exact for the consumer, a snapshot for anyone else.</summary>
    public int Count => (int)(Volatile.Read(ref _tail.Value) - Volatile.Read(ref _head.Value));

    public bool IsEmpty => Count == 0;

    /// <summary>How many TryPush calls failed because the ring was full (written by the producer only).</summary>
    public uint DroppedCount => Volatile.Read(ref _dropped.Value);

    /// <summary>Producer only. Appends <paramref name="item"/>; false (and the drop counted) when the ring is full.</summary>
    public bool TryPush(T item)
    {
        uint tail = _tail.Value;
        uint head = Volatile.Read(ref _head.Value);
        if (tail - head > _mask)
        {
            Volatile.Write(ref _dropped.Value, _dropped.Value + 1);
            return false;
        }

        _slots[tail & _mask] = item;
        Volatile.Write(ref _tail.Value, tail + 1);
        return true;
    }

    /// <summary>Consumer only. Removes the oldest item; false when the ring is empty.</summary>
    public bool TryPop(out T item)
    {
        uint head = _head.Value;
        uint tail = Volatile.Read(ref _tail.Value);
        if (head == tail)
        {
            item = default;
            return false;
        }

        item = _slots[head & _mask];
        Volatile.Write(ref _head.Value, head + 1);
        return true;
    }
}
