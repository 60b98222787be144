// One kernel task: an async method run by the Executor, with an id, a name,
// a state and a poll count (what `tasks` lists). It is also the
// SynchronizationContext its code runs in: an await inside the task captures
// it, and whatever completes the awaited thing Posts the continuation back
// here, which queues it and schedules the task. So a task's code only ever
// runs while the executor polls that task.
//
// Its continuation queue is touched only by code running on the executor
// (task context, never interrupt handlers); handlers use the Waker. The
// queue is a power-of-two ring of (callback, state) pairs: a Post is two
// stores and a local-queue push, with no allocation once the ring has grown
// to the task's largest burst. With the project's own runtime library (the
// kernel, TESSERA_CORELIB), `await Task.Yield()` queues the async method's box
// itself instead (TryQueueResume): an entry with no callback, resumed with one
// virtual call - or, while no other task is ready, not queued at all but
// resumed in place by Poll, the loop inside the box (the direct resume,
// docs/async.md).
using System;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace Shared.Tasks;

public sealed class ExecutorTask : SynchronizationContext
{
    private static readonly Action s_noop = static () => { };

    private readonly TaskCompletionSource _completion = new();
    private Continuation[] _queue = new Continuation[4];
    private int _queueHead;
    private int _queueCount;
    private Func<Task> _body;
    private Task _root;
    private Action _parked;
#if TESSERA_CORELIB
    // The direct resume (docs/async.md). While the task is polled with nothing in its ring, a yield is kept
    // (_yieldedBox) instead of queued - _directOpen says whether one may be - and Poll resumes it at once if no
    // other task is ready. The box Poll is resuming that way is _resuming: when it yields again, and the budget
    // (_directBudget, taken from the run loop's batch) and the other tasks allow, TryQueueResume has the box
    // run on (ResumeAgain) without returning to Poll at all.
    private Task _yieldedBox;
    private Task _resuming;
    private int _directBudget;
    private bool _directOpen;
#endif

    // The task's place in the executor's local (task-context) queue: executor CPU only, plain field.
    internal const int NotQueued = 0;
    internal const int Queued = 1;
    internal const int Overflowed = 2; // woken while the local queue was full: the run loop sweeps it up
    internal const int Finished = 3; // never queued again
    internal int LocalQueued;

    // Its place in the interrupt-side ReadyQueue (atomic): NotQueued, WakeQueued, Overflowed (woken while it was
    // full) or WakeFinished (the task finished: wakes are ignored).
    internal const int WakeQueued = 1;
    internal const int WakeFinished = 3;
    internal int WakeState;
    internal int WokenFlag;

    internal ExecutorTask(Executor executor, int id, string name, int slot, Func<Task> body)
    {
        Executor = executor;
        Id = id;
        Name = name;
        Slot = slot;
        _body = body;
        Waker = new Waker(this);
        State = ExecutorTaskState.Ready;
    }

    /// <summary>The task whose code is running now (null outside tasks).</summary>
    public static ExecutorTask CurrentTask => SynchronizationContext.Current as ExecutorTask;

    public Executor Executor { get; }

    public int Id { get; }

    public string Name { get; }

    public ExecutorTaskState State { get; internal set; }

    /// <summary>How often the executor has polled the task.</summary>
    public ulong Polls { get; private set; }

    public Waker Waker { get; }

    /// <summary>Completes when the task's async method has (faulted if it threw).</summary>
    public Task Completion => _completion.Task;

    internal int Slot { get; set; }

    /// <summary>Queues <paramref name="d"/> to run in this task and schedules the task. Task context only.</summary>
    public override void Post(SendOrPostCallback d, object state)
    {
#if TESSERA_CORELIB
        _directOpen = false; // a yield after this must queue behind it
        _resuming = null;
#endif
        Continuation[] queue = _queue;
        if (_queueCount == queue.Length)
            queue = GrowQueue();
        ref Continuation slot = ref queue[(_queueHead + _queueCount) & (queue.Length - 1)];
        slot.Callback = d;
        slot.State = state;
        _queueCount++;
        Executor.Schedule(this);
    }

#if TESSERA_CORELIB
    /// <summary>
    /// The yield fast path (our runtime library only: docs/async.md): `await Task.Yield()` in this task hands the
    /// method's box itself over, with no delegate. While the task is being polled and nothing is queued before it,
    /// and no other task is ready, the box waits in one field for Poll to resume it at once (the direct resume);
    /// otherwise it joins the continuation ring, in order with posted continuations, and the task is scheduled.
    /// Task context only, like <see cref="Post"/>.
    /// </summary>
    public override bool TryQueueResume(Task box)
    {
        // The per-await check, small enough to inline into the builder with the fast path falling through: the box
        // Poll is resuming in place yields again, the batch has polls left, and no task was woken meanwhile.
        // Anything queued in the ring meanwhile cleared _resuming (QueueBox, Post), and other tasks' wakes show in
        // one flag (Executor.OtherTaskWoken, cleared when Poll began resuming this box): no run queue to read.
        if (box == _resuming && _directBudget != 0 && !Executor.OtherTaskWoken)
        {
            _directBudget--; // Poll counts what the budget went down by as polls
            ResumeAgain(); // _directOpen stays: nothing was queued
            return true;
        }

        KeepOrQueue(box);
        return true;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void KeepOrQueue(Task box)
    {
        if (box != _resuming && _directOpen && !Executor.OtherTaskReady)
        {
            _directOpen = false;
            _resuming = null; // the box being resumed in place, if any, must now queue behind this one
            _yieldedBox = box; // Poll resumes it once the code running now returns
            return;
        }

        QueueBox(box);
    }

    private void QueueBox(Task box)
    {
        _directOpen = false;
        _resuming = null;
        Continuation[] queue = _queue;
        if (_queueCount == queue.Length)
            queue = GrowQueue();
        ref Continuation slot = ref queue[(_queueHead + _queueCount) & (queue.Length - 1)];
        slot.Callback = null; // no callback: the state is a box to resume
        slot.State = box;
        _queueCount++;
        Executor.Schedule(this);
    }
#endif

    public override void Send(SendOrPostCallback d, object state) => throw new NotSupportedException("a kernel task cannot block to run code synchronously");

    /// <summary>
    /// Parks <paramref name="continuation"/> until the task's Waker fires (AsyncSignal). One parked continuation
    /// per task: a task waits for one signal at a time.
    /// </summary>
    public void Park(Action continuation)
    {
        if (_parked is not null)
            throw new InvalidOperationException("task '" + Name + "' is already parked on a signal");
        _parked = continuation;
    }

    /// <summary>Runs what is due: the first poll starts the method; later ones run posted and woken continuations.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Poll()
    {
        Polls++;
        State = ExecutorTaskState.Running;

        // Only what was queued before this poll: a continuation posted during it (Task.Yield, or the first
        // segment of the method yielding) runs on the next poll, behind the other ready tasks.
        int due = _queueCount;
        if (_body is not null)
        {
            Func<Task> body = _body;
            _body = null;
#if TESSERA_CORELIB
            _directOpen = due == 0;
#endif
            _root = body();
            if (!_root.IsCompleted)
                _root.GetAwaiter().UnsafeOnCompleted(s_noop); // its completion posts here, so the executor sees it
        }

        for (int i = 0; i < due; i++)
        {
            Continuation[] queue = _queue;
            ref Continuation slot = ref queue[_queueHead];
            SendOrPostCallback callback = slot.Callback;
            object state = slot.State;
            slot = default;
            _queueHead = (_queueHead + 1) & (queue.Length - 1);
            _queueCount--;
#if TESSERA_CORELIB
            _directOpen = _queueCount == 0 && _yieldedBox is null; // the last entry queued: its yield may be kept
            if (callback is null)
            {
                ResumeStateMachine(Unsafe.As<Task>(state)); // only TryQueueResume leaves the callback empty
                continue;
            }
#endif
            callback(state);
        }

        if (Volatile.Read(ref WokenFlag) != 0 && Interlocked.Exchange(ref WokenFlag, 0) != 0 && _parked is not null)
        {
            Action parked = _parked;
            _parked = null;
#if TESSERA_CORELIB
            _directOpen = _queueCount == 0 && _yieldedBox is null;
#endif
            parked();
        }

#if TESSERA_CORELIB
        // The direct resume: the method yielded, nothing else of this task is queued, and no other task is ready,
        // so the task would be polled next anyway. Resuming the box here, as a poll of its own, skips queueing the
        // task and going round the run loop. Each resume takes one poll of the run loop's batch budget, so a due
        // timer or an interrupt wake waits no longer than it would behind queued polls.
        Task box = _yieldedBox;
        if (box is not null)
        {
            _yieldedBox = null;
            Executor executor = Executor;
            int taken = executor.TakeDirectResumeBudget();
            _directBudget = taken;
            while (true)
            {
                executor.ClearOtherTaskWoken(); // before the check: a wake after it sets the flag again
                if (_directBudget == 0 || _queueCount != 0 || executor.OtherTaskReady)
                {
                    QueueBox(box); // behind what this task queued meanwhile, or for the run loop to pick up in turn
                    break;
                }

                _directBudget--;
                _resuming = box;
                _directOpen = true;
                ResumeStateMachineWhileAsked(box); // returns when it ends, awaits something else, or may not go on
                box = _yieldedBox; // another box that yielded meanwhile (a continuation the method ran)
                if (box is null)
                    break;
                _yieldedBox = null;
            }

            _resuming = null;
            Polls += (ulong)(taken - _directBudget); // each direct resume is a poll of its own
            executor.EndDirectResumes(taken, _directBudget);
            _directBudget = 0;
        }

        _directOpen = false;
#endif
    }

    internal bool IsFinished => _root is not null && _root.IsCompleted;

    /// <summary>Records how the method ended and drops everything the task referenced.</summary>
    internal void Finish()
    {
        Task root = _root;
        _root = null;
        _parked = null;
        _queue = Array.Empty<Continuation>();
        _queueCount = 0;
        _queueHead = 0;
        if (root.IsFaulted)
        {
            State = ExecutorTaskState.Faulted;
            _completion.TrySetException(root.Exception.InnerException);
        }
        else if (root.IsCanceled)
        {
            State = ExecutorTaskState.Faulted;
            _completion.TrySetCanceled();
        }
        else
        {
            State = ExecutorTaskState.Completed;
            _completion.TrySetResult();
        }
    }

    internal bool HasQueuedWork => _queueCount != 0 || Volatile.Read(ref WokenFlag) != 0;

    private Continuation[] GrowQueue()
    {
        Continuation[] old = _queue;
        var queue = new Continuation[old.Length == 0 ? 4 : old.Length * 2];
        for (int i = 0; i < _queueCount; i++)
            queue[i] = old[(_queueHead + i) & (old.Length - 1)];
        _queue = queue;
        _queueHead = 0;
        return queue;
    }

    private struct Continuation
    {
        public SendOrPostCallback Callback;
        public object State;
    }
}
