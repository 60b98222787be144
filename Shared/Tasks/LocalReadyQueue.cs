// The executor's run queue for wakes that come from task context (an await
// resuming: Task.Yield, a completed Task or channel posting a continuation):
// the common case, and the one the await round trip pays for. Producers and
// the consumer are all code running on the executor's own CPU outside
// interrupt handlers, so it is a plain bounded ring of task references - no
// atomic instruction, no slot lookup. Interrupt handlers never touch it: they
// wake tasks through the lock-free ReadyQueue (Waker.Wake), because a handler
// that interrupted a push here would corrupt the ring.
using System;

namespace Shared.Tasks;

internal sealed class LocalReadyQueue
{
    private readonly ExecutorTask[] _tasks;
    private readonly int _mask;
    private int _head;
    private int _count;

    /// <summary>A queue of <paramref name="capacity"/> tasks, a power of two (checked by the executor's ReadyQueue).</summary>
    public LocalReadyQueue(int capacity)
    {
        _tasks = new ExecutorTask[capacity];
        _mask = capacity - 1;
    }

    public int Count => _count;

    /// <summary>False when the queue is full. Task context only.</summary>
    public bool TryEnqueue(ExecutorTask task)
    {
        if (_count == _tasks.Length)
            return false;
        _tasks[(_head + _count) & _mask] = task;
        _count++;
        return true;
    }

    /// <summary>The oldest entry (the queue must not be empty); its cell is cleared so it keeps nothing alive.</summary>
    public ExecutorTask Dequeue()
    {
        ref ExecutorTask cell = ref _tasks[_head];
        ExecutorTask task = cell;
        cell = null;
        _head = (_head + 1) & _mask;
        _count--;
        return task;
    }
}
