// The executor's run queue: task slot numbers waiting to be polled, in the
// order they were woken. Bounded (a fixed array, never grown, never
// allocating) and lock-free, because interrupt handlers push to it: a
// handler that had to take a lock could deadlock against the task it
// interrupted. Many producers (tasks and interrupt handlers), one consumer
// (the run loop).
//
// The algorithm is the classic bounded ring with one sequence number per
// cell (D. Vyukov's bounded MPMC queue): a producer claims a position with a
// compare-and-swap on the tail, writes the value, then publishes it by
// setting the cell's sequence to position + 1; the consumer takes the cell
// only once its sequence says it is published, and frees it for the next lap
// by setting the sequence to position + capacity. A producer interrupted
// between claim and publish (by a handler that pushes too) delays only the
// consumer, which sees "empty" until the interrupted producer resumes.
using System;
using System.Threading;

namespace Shared.Tasks;

public sealed class ReadyQueue
{
    private readonly Cell[] _cells;
    private readonly uint _mask;
    private uint _head; // consumer only
    private uint _tail; // producers, by compare-and-swap

    /// <summary>A queue of <paramref name="capacity"/> entries, a power of two from 2 to 2^20.</summary>
    public ReadyQueue(int capacity)
    {
        if (capacity < 2 || capacity > (1 << 20) || (capacity & (capacity - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(capacity), "the capacity must be a power of two from 2 to 2^20");
        _cells = new Cell[capacity];
        for (int i = 0; i < capacity; i++)
            _cells[i].Sequence = (uint)i;
        _mask = (uint)capacity - 1;
    }

    public int Capacity => _cells.Length;

    /// <summary>Entries waiting (a snapshot).</summary>
    public int Count => (int)(Volatile.Read(ref _tail) - Volatile.Read(ref _head));

    /// <summary>Any producer, interrupt handlers included. False when the queue is full.</summary>
    public bool TryEnqueue(int value)
    {
        while (true)
        {
            uint position = Volatile.Read(ref _tail);
            ref Cell cell = ref _cells[position & _mask];
            int difference = (int)(Volatile.Read(ref cell.Sequence) - position);
            if (difference == 0)
            {
                if (Interlocked.CompareExchange(ref _tail, position + 1, position) != position)
                    continue;
                cell.Value = value;
                Volatile.Write(ref cell.Sequence, position + 1);
                return true;
            }

            if (difference < 0)
                return false; // the cell still holds last lap's value: full
        }
    }

    /// <summary>The consumer only. False when nothing is published at the head.</summary>
    public bool TryDequeue(out int value)
    {
        uint position = _head;
        ref Cell cell = ref _cells[position & _mask];
        if ((int)(Volatile.Read(ref cell.Sequence) - (position + 1)) < 0)
        {
            value = 0;
            return false;
        }

        value = cell.Value;
        Volatile.Write(ref cell.Sequence, position + _mask + 1);
        Volatile.Write(ref _head, position + 1);
        return true;
    }

    private struct Cell
    {
        public uint Sequence;
        public int Value;
    }
}
