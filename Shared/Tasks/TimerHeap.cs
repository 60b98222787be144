// The sleepers of Task.Delay, ordered by deadline: a binary min-heap, so
// adding, removing (a canceled delay) and taking the earliest timer cost
// O(log n) with n sleepers, and looking at the earliest costs O(1). Timers
// with equal deadlines come out in the order they were added (a sequence
// number breaks ties). Each timer remembers its index in the heap so that a
// cancellation can remove it from the middle.
using System;

namespace Shared.Tasks;

public sealed class TimerHeap
{
    private Timer[] _heap = new Timer[16];
    private int _count;
    private ulong _nextSequence;

    public int Count => _count;

    /// <summary>The earliest deadline; only meaningful when Count is not 0.</summary>
    public ulong EarliestDeadline => _heap[0].Deadline;

    public void Add(Timer timer)
    {
        if (timer.Index >= 0)
            throw new InvalidOperationException("the timer is already in a heap");
        if (_count == _heap.Length)
            Array.Resize(ref _heap, _count * 2);
        timer.Sequence = _nextSequence++;
        _heap[_count] = timer;
        timer.Index = _count;
        _count++;
        SiftUp(_count - 1);
    }

    /// <summary>Takes the earliest timer if its deadline is at or before <paramref name="now"/>.</summary>
    public bool TryTakeExpired(ulong now, out Timer timer)
    {
        if (_count == 0 || _heap[0].Deadline > now)
        {
            timer = null;
            return false;
        }

        timer = _heap[0];
        RemoveAt(0);
        return true;
    }

    /// <summary>Removes <paramref name="timer"/> if it is still waiting; false if it already left the heap.</summary>
    public bool Remove(Timer timer)
    {
        int index = timer.Index;
        if (index < 0 || index >= _count || _heap[index] != timer)
            return false;
        RemoveAt(index);
        return true;
    }

    private void RemoveAt(int index)
    {
        Timer removed = _heap[index];
        _count--;
        if (index != _count)
        {
            _heap[index] = _heap[_count];
            _heap[index].Index = index;
            _heap[_count] = null;
            if (index > 0 && Less(_heap[index], _heap[(index - 1) / 2]))
                SiftUp(index);
            else
                SiftDown(index);
        }
        else
        {
            _heap[_count] = null;
        }

        removed.Index = -1;
    }

    private void SiftUp(int index)
    {
        while (index > 0)
        {
            int parent = (index - 1) / 2;
            if (!Less(_heap[index], _heap[parent]))
                return;
            Swap(index, parent);
            index = parent;
        }
    }

    private void SiftDown(int index)
    {
        while (true)
        {
            int left = index * 2 + 1;
            if (left >= _count)
                return;
            int smallest = left + 1 < _count && Less(_heap[left + 1], _heap[left]) ? left + 1 : left;
            if (!Less(_heap[smallest], _heap[index]))
                return;
            Swap(index, smallest);
            index = smallest;
        }
    }

    private static bool Less(Timer a, Timer b) => a.Deadline < b.Deadline || (a.Deadline == b.Deadline && a.Sequence < b.Sequence);

    private void Swap(int a, int b)
    {
        Timer t = _heap[a];
        _heap[a] = _heap[b];
        _heap[b] = t;
        _heap[a].Index = a;
        _heap[b].Index = b;
    }

    /// <summary>One sleeper: a deadline in the executor clock's units and what to do when it passes.</summary>
    public class Timer
    {
        public ulong Deadline;
        internal ulong Sequence;
        internal int Index = -1;

        public Timer(ulong deadline) => Deadline = deadline;

        public bool IsWaiting => Index >= 0;
    }
}
