// The executor: runs kernel tasks (async methods) on one CPU, cooperatively.
//
//   Spawn(name, body)  registers a task and schedules its first poll;
//   Schedule(task)     puts it in the ready queue (lock-free, interrupt-safe;
//                      a task already queued is not queued twice);
//   RunReady()         fires due timers, then polls every task that was ready
//                      when it started, in wake order;
//   Run()              RunReady forever, sleeping (the platform's
//                      WaitForWork: Idle.WaitFor in the kernel) whenever
//                      nothing is ready and no timer is due.
//
// Polling a task runs its due continuations with the task as the
// SynchronizationContext (ExecutorTask). A finished task leaves the task
// table and the ready queue; nothing the executor holds refers to it.
//
// When more tasks are woken than the ready queue holds, the overflowing
// wakes are not lost: the task is marked and the run loop sweeps the task
// table for marked tasks after draining the queue (ReadyQueueOverflows
// counts how often).
using System;
using System.Threading;
using System.Threading.Tasks;

namespace Shared.Tasks;

public sealed class Executor
{
    private readonly IExecutorPlatform _platform;
    private readonly ReadyQueue _ready;
    private readonly TimerHeap _timers = new();
    private ExecutorTask[] _slots = new ExecutorTask[16];
    private int[] _freeSlots = new int[16];
    private int _freeCount;
    private int _slotCount;
    private int _liveTasks;
    private int _nextId = 1;
    private int _overflowed;
    private ulong _overflows;
    private ulong _completedTasks;
    private ulong _polls;

    public Executor(IExecutorPlatform platform, int readyQueueCapacity = 256)
    {
        _platform = platform;
        _ready = new ReadyQueue(readyQueueCapacity);
    }

    public IExecutorPlatform Platform => _platform;

    /// <summary>Live tasks (spawned, not finished).</summary>
    public int TaskCount => _liveTasks;

    public ulong CompletedTasks => _completedTasks;

    public ulong Polls => _polls;

    public ulong ReadyQueueOverflows => Volatile.Read(ref _overflows);

    public int ReadyQueueCapacity => _ready.Capacity;

    public int PendingTimers => _timers.Count;

    /// <summary>True when a task is ready or a timer is due: what the idle loop waits for.</summary>
    public bool HasWork => _ready.Count != 0 || Volatile.Read(ref _overflowed) != 0 || TimerDue(_platform.Timestamp);

    /// <summary>Starts <paramref name="body"/> as a task; its first poll runs it up to its first real await.</summary>
    public ExecutorTask Spawn(string name, Func<Task> body)
    {
        int slot = AllocateSlot();
        var task = new ExecutorTask(this, _nextId++, name, slot, body);
        _slots[slot] = task;
        _liveTasks++;
        Schedule(task);
        return task;
    }

    /// <summary>Copies the live tasks into <paramref name="buffer"/> in slot order; returns how many.</summary>
    public int GetTasks(Span<ExecutorTask> buffer)
    {
        int count = 0;
        for (int i = 0; i < _slotCount && count < buffer.Length; i++)
        {
            if (_slots[i] is not null)
                buffer[count++] = _slots[i];
        }

        return count;
    }

    /// <summary>Queues <paramref name="task"/> for polling unless it is queued already. Lock-free; interrupt-safe.</summary>
    public void Schedule(ExecutorTask task)
    {
        if (Interlocked.CompareExchange(ref task.WakeState, 1, 0) != 0)
            return;
        if (task.State == ExecutorTaskState.Waiting)
            task.State = ExecutorTaskState.Ready;
        if (_ready.TryEnqueue(task.Slot))
            return;
        Volatile.Write(ref task.WakeState, 2);
        Volatile.Write(ref _overflowed, 1);
        Interlocked.Increment(ref _overflows);
    }

    /// <summary>A task that completes <paramref name="milliseconds"/> from now (never earlier), canceled with the token.</summary>
    public Task Delay(uint milliseconds, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            var canceled = new TaskCompletionSource();
            canceled.TrySetCanceled();
            return canceled.Task;
        }

        ulong frequency = _platform.TimestampFrequency;
        ulong ticks = (milliseconds * frequency + 999) / 1000;
        var timer = new DelayTimer(_platform.Timestamp + ticks) { Owner = this };
        _timers.Add(timer);
        if (cancellationToken.CanBeCanceled)
            timer.Registration = cancellationToken.Register(s_cancelTimer, timer);
        return timer.Source.Task;
    }

    /// <summary>Fires due timers and polls every task ready now. Returns how many polls it made.</summary>
    public int RunReady()
    {
        _platform.BeforePoll();
        if (_timers.Count != 0)
            FireTimers(_platform.Timestamp);
        int polled = 0;
        int due = _ready.Count;
        for (int i = 0; i < due && _ready.TryDequeue(out int slot); i++)
        {
            // A slot whose task is not marked queued is a stale entry (its task finished and the slot was
            // reused, or it was already polled through a second entry): skip it rather than poll for nothing.
            ExecutorTask task = _slots[slot];
            if (task is null || Interlocked.Exchange(ref task.WakeState, 0) == 0)
                continue;
            Poll(task);
            polled++;
        }

        if (Interlocked.Exchange(ref _overflowed, 0) != 0)
        {
            for (int slot = 0; slot < _slotCount; slot++)
            {
                ExecutorTask task = _slots[slot];
                if (task is null || Interlocked.CompareExchange(ref task.WakeState, 0, 2) != 2)
                    continue;
                Poll(task);
                polled++;
            }
        }

        return polled;
    }

    /// <summary>Runs tasks until none is ready and no timer is due (it does not wait for timers). For tests.</summary>
    public void RunUntilIdle()
    {
        while (RunReady() != 0 || HasWork)
        {
        }
    }

    /// <summary>Runs tasks, sleeping when idle, until <paramref name="task"/> has finished (kernel tests, benchmarks).</summary>
    public void RunUntilFinished(ExecutorTask task)
    {
        while (!task.Completion.IsCompleted)
        {
            if (RunReady() == 0 && !HasWork && !task.Completion.IsCompleted)
                _platform.WaitForWork(this);
        }
    }

    /// <summary>The kernel's run loop: never returns.</summary>
    public void Run()
    {
        while (true)
        {
            if (RunReady() == 0 && !HasWork)
                _platform.WaitForWork(this);
        }
    }

    private void Poll(ExecutorTask task)
    {
        SynchronizationContext previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(task);
        _polls++;
        task.Poll();
        SynchronizationContext.SetSynchronizationContext(previous);
        if (task.IsFinished)
        {
            Retire(task);
            return;
        }

        task.State = Volatile.Read(ref task.WakeState) != 0 ? ExecutorTaskState.Ready : ExecutorTaskState.Waiting;
    }

    private void Retire(ExecutorTask task)
    {
        _slots[task.Slot] = null;
        if (_freeCount == _freeSlots.Length)
            Array.Resize(ref _freeSlots, _freeCount * 2);
        _freeSlots[_freeCount++] = task.Slot;
        _liveTasks--;
        _completedTasks++;
        task.Finish();
    }

    private int AllocateSlot()
    {
        if (_freeCount > 0)
            return _freeSlots[--_freeCount];
        if (_slotCount == _slots.Length)
            Array.Resize(ref _slots, _slotCount * 2);
        return _slotCount++;
    }

    private bool TimerDue(ulong now) => _timers.Count != 0 && _timers.EarliestDeadline <= now;

    private void FireTimers(ulong now)
    {
        while (_timers.TryTakeExpired(now, out TimerHeap.Timer expired))
        {
            var timer = (DelayTimer)expired;
            timer.Registration.Dispose();
            timer.Source.TrySetResult();
        }
    }

    private static readonly Action<object> s_cancelTimer = static state =>
    {
        var timer = (DelayTimer)state;
        if (timer.Owner._timers.Remove(timer))
            timer.Source.TrySetCanceled();
    };

    private sealed class DelayTimer : TimerHeap.Timer
    {
        public readonly TaskCompletionSource Source = new();
        public CancellationTokenRegistration Registration;
        public Executor Owner;

        public DelayTimer(ulong deadline)
            : base(deadline)
        {
        }
    }
}
