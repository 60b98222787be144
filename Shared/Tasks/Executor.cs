// The executor: runs kernel tasks (async methods) on one CPU, cooperatively.
//
//   Spawn(name, body)  registers a task and schedules its first poll;
//   Schedule(task)     task context: puts it in the local run queue (a plain
//                      ring, no atomics; a task already queued is not queued
//                      twice);
//   Wake(task)         interrupt-safe: puts it in the lock-free ReadyQueue
//                      (what Waker.Wake does);
//   RunReady()         fires due timers, then polls every task that was ready
//                      when it started, in wake order (task-context wakes
//                      first, then interrupt wakes);
//   Run()              RunReady forever, sleeping (the platform's
//                      WaitForWork: Idle.WaitFor in the kernel) whenever
//                      nothing is ready and no timer is due. After each
//                      RunReady it runs further rounds of task-context wakes
//                      alone while nothing else is ready, up to
//                      LocalBatchPolls polls (RunBatch), so the per-round
//                      work is paid once per batch, not once per await.
//                      A task that yields while no other task is ready is
//                      resumed in place (ExecutorTask's direct resume), each
//                      resume a poll taken from the same batch budget.
//
// Two queues because the two kinds of producer need different things: wakes
// from task context (every await that resumes) happen on the executor's own
// CPU outside interrupt handlers, so a plain ring serves them with no locked
// instruction; interrupt handlers may interrupt anything, so their wakes go
// through the lock-free ring. A task woken both ways in one round is polled
// twice, the second time finding little or nothing to do.
//
// Polling a task runs its due continuations with the task as the
// SynchronizationContext (ExecutorTask). A finished task leaves the task
// table and the queues; nothing the executor holds refers to it.
//
// When more tasks are woken than a queue holds, the overflowing wakes are not
// lost: the task is marked and the run loop sweeps the task table for marked
// tasks after draining the queues (ReadyQueueOverflows counts how often).
using System;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace Shared.Tasks;

public sealed class Executor
{
    private readonly IExecutorPlatform _platform;
    private readonly ReadyQueue _ready;
    private readonly LocalReadyQueue _local;
    private readonly TimerHeap _timers = new();
    private ExecutorTask[] _slots = new ExecutorTask[16];
    private int[] _freeSlots = new int[16];
    private int _freeCount;
    private int _slotCount;
    private int _liveTasks;
    private int _nextId = 1;
    private int _overflowed; // an interrupt wake found the ReadyQueue full (set by handlers)
    private bool _localOverflowed; // a task-context wake found the local queue full
    private ulong _overflows;
    private ulong _completedTasks;
    private ulong _directResumes;
    private int _otherTaskWoken; // set by every wake (Schedule, Wake): OtherTaskWoken
    private int _batchBudget; // polls the current RunBatch may still make (its direct resumes included); <= 0 outside it

    public Executor(IExecutorPlatform platform, int readyQueueCapacity = 256)
    {
        _platform = platform;
        _ready = new ReadyQueue(readyQueueCapacity);
        _local = new LocalReadyQueue(readyQueueCapacity);
    }

    public IExecutorPlatform Platform => _platform;

    /// <summary>Live tasks (spawned, not finished).</summary>
    public int TaskCount => _liveTasks;

    public ulong CompletedTasks => _completedTasks;

    public ulong ReadyQueueOverflows => Volatile.Read(ref _overflows);

    /// <summary>Polls that resumed a yielding task in place, without queueing it (ExecutorTask's direct resume).</summary>
    public ulong DirectResumes => _directResumes;

    public int ReadyQueueCapacity => _ready.Capacity;

    public int PendingTimers => _timers.Count;

    /// <summary>True when a task is ready or a timer is due: what the idle loop waits for.</summary>
    public bool HasWork => _local.Count != 0 || _localOverflowed || _ready.Count != 0 || Volatile.Read(ref _overflowed) != 0
        || TimerDue(_platform.Timestamp);

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

    /// <summary>
    /// Queues <paramref name="task"/> for polling unless it is queued already. Task context only (code the executor
    /// runs, not an interrupt handler: those call <see cref="Wake"/>); no atomic instruction, no allocation.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Schedule(ExecutorTask task)
    {
        if (task.LocalQueued != ExecutorTask.NotQueued)
            return; // queued, overflowed (swept up later) or finished
        _otherTaskWoken = 1;
        if (task.State == ExecutorTaskState.Waiting)
            task.State = ExecutorTaskState.Ready;
        if (_local.TryEnqueue(task))
        {
            task.LocalQueued = ExecutorTask.Queued;
            return;
        }

        task.LocalQueued = ExecutorTask.Overflowed;
        _localOverflowed = true;
        Interlocked.Increment(ref _overflows); // handlers count overflows too
    }

    /// <summary>Queues <paramref name="task"/> for polling unless it is queued already. Lock-free; interrupt-safe.</summary>
    internal void Wake(ExecutorTask task)
    {
        if (Interlocked.CompareExchange(ref task.WakeState, ExecutorTask.WakeQueued, ExecutorTask.NotQueued) != ExecutorTask.NotQueued)
            return; // queued already, or finished
        if (task.State == ExecutorTaskState.Waiting)
            task.State = ExecutorTaskState.Ready;
        bool queued = _ready.TryEnqueue(task.Slot);
        Volatile.Write(ref _otherTaskWoken, 1); // after the entry: whoever sees the flag finds the entry
        if (queued)
            return;
        Volatile.Write(ref task.WakeState, ExecutorTask.Overflowed);
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
        SynchronizationContext previous = SynchronizationContext.Current;
        int interruptWakes = _ready.Count; // only what is ready now: a wake during this round is polled next round
        int polled = RunLocalRound();

        for (int i = 0; i < interruptWakes && _ready.TryDequeue(out int slot); i++)
        {
            // An empty slot: its task finished while this entry was queued, and the slot waited for it (Retire).
            ExecutorTask task = _slots[slot];
            if (task is null)
            {
                FreeSlot(slot);
                continue;
            }

            // A wake from here on queues the task again. A locked exchange, not a plain store: the poll's read of
            // what the waker set must not move above it (it could on x86 - store to load - with a second CPU).
            Interlocked.Exchange(ref task.WakeState, ExecutorTask.NotQueued);
            Poll(task);
            polled++;
        }

        if (_localOverflowed || Volatile.Read(ref _overflowed) != 0)
            polled += SweepOverflowed();
        SynchronizationContext.SetSynchronizationContext(previous);
        return polled;
    }

    /// <summary>Runs tasks until none is ready and no timer is due (it does not wait for timers). For tests.</summary>
    public void RunUntilIdle()
    {
        while (RunBatch() != 0 || HasWork)
        {
        }
    }

    /// <summary>Runs tasks, sleeping when idle, until <paramref name="task"/> has finished (kernel tests, benchmarks).</summary>
    public void RunUntilFinished(ExecutorTask task)
    {
        while (!task.Completion.IsCompleted)
        {
            if (RunBatch() == 0 && !HasWork && !task.Completion.IsCompleted)
                _platform.WaitForWork(this);
        }
    }

    /// <summary>The kernel's run loop: never returns.</summary>
    public void Run()
    {
        while (true)
        {
            if (RunBatch() == 0 && !HasWork)
                _platform.WaitForWork(this);
        }
    }

    /// <summary>
    /// How many polls the run loops make at most before the next full round (platform's BeforePoll, timers): a
    /// bound on how long a due timer or an interrupt event report can wait behind tasks that keep yielding.
    /// Direct resumes count as polls.
    /// </summary>
    public const int LocalBatchPolls = 64;

    // One full round (RunReady), then, while only task-context wakes are ready (no interrupt wake, no overflow),
    // further rounds of the local queue alone, up to LocalBatchPolls polls in all. What those rounds skip is
    // what the full round does once per batch instead of once per poll: the platform's BeforePoll (an
    // interface call), the timer check, saving and restoring SynchronizationContext.Current. An interrupt wake
    // ends the batch at the next round, so the run loop services it as promptly as before (after the tasks
    // already ready, as RunReady would); a timer falls due at most LocalBatchPolls polls late.
    private int RunBatch()
    {
        _batchBudget = LocalBatchPolls;
        int polled = RunReady();
        if (_local.Count != 0)
        {
            SynchronizationContext previous = SynchronizationContext.Current;
            while (_batchBudget > 0 && _local.Count != 0 && _ready.Count == 0 && !_localOverflowed
                && Volatile.Read(ref _overflowed) == 0)
                polled += RunLocalRound();
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        _batchBudget = 0; // RunReady called on its own makes no direct resumes
        return polled;
    }

    /// <summary>
    /// What a task that yielded in its poll may spend on resuming itself at once (ExecutorTask's direct resume):
    /// the batch's polls left, all of them taken until <see cref="EndDirectResumes"/> gives back the rest.
    /// Task context only.
    /// </summary>
    internal int TakeDirectResumeBudget()
    {
        int budget = _batchBudget > 0 ? _batchBudget : 0;
        _batchBudget -= budget;
        return budget;
    }

    /// <summary>Gives back what a task's direct resumes did not use of <paramref name="taken"/>, and counts them.</summary>
    internal void EndDirectResumes(int taken, int unused)
    {
        _batchBudget += unused;
        _directResumes += (ulong)(taken - unused);
    }

    /// <summary>
    /// Whether another task is ready: one woken from task context, or from an interrupt handler. (A task whose
    /// wake overflowed a queue waits for the sweep at the end of the round, at most a batch's polls later.)
    /// </summary>
    internal bool OtherTaskReady
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _local.Count != 0 || _ready.Count != 0;
    }

    /// <summary>
    /// Whether a task was woken (Schedule, or Wake from a handler) since <see cref="ClearOtherTaskWoken"/>: the cheap
    /// per-await form of <see cref="OtherTaskReady"/> for a task resuming itself in place, which clears the flag
    /// and then checks the queues once. Any context.
    /// </summary>
    internal bool OtherTaskWoken
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Volatile.Read(ref _otherTaskWoken) != 0;
    }

    /// <summary>
    /// Clears <see cref="OtherTaskWoken"/>; a locked exchange, so that the queue checks after it cannot be
    /// reordered before it (a wake from another CPU in between sets the flag again). Task context only.
    /// </summary>
    internal void ClearOtherTaskWoken() => Interlocked.Exchange(ref _otherTaskWoken, 0);

    // Polls the tasks in the local queue now, in wake order (a wake during the round is polled next round).
    private int RunLocalRound()
    {
        int polled = 0;
        for (int due = _local.Count; due > 0; due--)
        {
            // An entry whose task is not marked queued any more belongs to a task that finished meanwhile.
            ExecutorTask task = _local.Dequeue();
            if (task.LocalQueued != ExecutorTask.Queued)
                continue;
            task.LocalQueued = ExecutorTask.NotQueued;
            Poll(task);
            polled++;
        }

        return polled;
    }

    // Polls the tasks whose wake found a queue full.
    private int SweepOverflowed()
    {
        int polled = 0;
        _localOverflowed = false;
        Interlocked.Exchange(ref _overflowed, 0);
        for (int slot = 0; slot < _slotCount; slot++)
        {
            ExecutorTask task = _slots[slot];
            if (task is null)
                continue;
            bool local = task.LocalQueued == ExecutorTask.Overflowed;
            if (local)
                task.LocalQueued = ExecutorTask.NotQueued;
            bool interrupt = Interlocked.CompareExchange(ref task.WakeState, ExecutorTask.NotQueued, ExecutorTask.Overflowed) == ExecutorTask.Overflowed;
            if (!local && !interrupt)
                continue;
            Poll(task);
            polled++;
        }

        return polled;
    }

    // The task is the SynchronizationContext while it runs; RunReady restores the caller's afterwards.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Poll(ExecutorTask task)
    {
        // Polled again in a row (a task that yields while nothing else is ready): Current is already the task, and
        // not storing it again saves a write barrier per await.
        if (SynchronizationContext.Current != task)
            SynchronizationContext.SetSynchronizationContext(task);
        _batchBudget--;
        task.Poll();
        if (task.IsFinished)
        {
            Retire(task);
            return;
        }

        task.State = task.LocalQueued != ExecutorTask.NotQueued || Volatile.Read(ref task.WakeState) != 0
            ? ExecutorTaskState.Ready
            : ExecutorTaskState.Waiting;
    }

    private void Retire(ExecutorTask task)
    {
        // From here on Wake ignores the task. If the ReadyQueue still holds an entry naming its slot, the slot is
        // freed when the run loop takes that entry, so an entry never names a later task in the same slot.
        _slots[task.Slot] = null;
        if (Interlocked.Exchange(ref task.WakeState, ExecutorTask.WakeFinished) != ExecutorTask.WakeQueued)
            FreeSlot(task.Slot);
        _liveTasks--;
        _completedTasks++;
        task.LocalQueued = ExecutorTask.Finished;
        task.Finish();
    }

    private void FreeSlot(int slot)
    {
        if (_freeCount == _freeSlots.Length)
            Array.Resize(ref _freeSlots, _freeCount * 2);
        _freeSlots[_freeCount++] = slot;
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
