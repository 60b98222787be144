// One kernel task: an async method run by the Executor, with an id, a name,
// a state and a poll count (what `tasks` lists). It is also the
// SynchronizationContext its code runs in: an await inside the task captures
// it, and whatever completes the awaited thing Posts the continuation back
// here, which queues it and schedules the task. So a task's code only ever
// runs while the executor polls that task.
//
// Its continuation queue is touched only by code running on the executor
// (task context, never interrupt handlers); handlers use the Waker.
using System;
using System.Threading;
using System.Threading.Tasks;

namespace Shared.Tasks;

public sealed class ExecutorTask : SynchronizationContext
{
    private static readonly Action s_noop = static () => { };

    private readonly TaskCompletionSource _completion = new();
    private SendOrPostCallback[] _callbacks = new SendOrPostCallback[4];
    private object[] _states = new object[4];
    private int _queueHead;
    private int _queueCount;
    private Func<Task> _body;
    private Task _root;
    private Action _parked;

    // 0 = not queued, 1 = in the ready queue, 2 = woken while the ready queue was full.
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
        if (_queueCount == _callbacks.Length)
            GrowQueue();
        int tail = (_queueHead + _queueCount) % _callbacks.Length;
        _callbacks[tail] = d;
        _states[tail] = state;
        _queueCount++;
        Executor.Schedule(this);
    }

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
            _root = body();
            if (!_root.IsCompleted)
                _root.GetAwaiter().UnsafeOnCompleted(s_noop); // its completion posts here, so the executor sees it
        }

        for (int i = 0; i < due; i++)
        {
            SendOrPostCallback callback = _callbacks[_queueHead];
            object state = _states[_queueHead];
            _callbacks[_queueHead] = null;
            _states[_queueHead] = null;
            _queueHead = (_queueHead + 1) % _callbacks.Length;
            _queueCount--;
            callback(state);
        }

        if (Volatile.Read(ref WokenFlag) != 0 && Interlocked.Exchange(ref WokenFlag, 0) != 0 && _parked is not null)
        {
            Action parked = _parked;
            _parked = null;
            parked();
        }
    }

    internal bool IsFinished => _root is not null && _root.IsCompleted;

    /// <summary>Records how the method ended and drops everything the task referenced.</summary>
    internal void Finish()
    {
        Task root = _root;
        _root = null;
        _parked = null;
        _callbacks = Array.Empty<SendOrPostCallback>();
        _states = Array.Empty<object>();
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

    private void GrowQueue()
    {
        int length = _callbacks.Length;
        int newLength = length == 0 ? 4 : length * 2;
        var callbacks = new SendOrPostCallback[newLength];
        var states = new object[newLength];
        for (int i = 0; i < _queueCount; i++)
        {
            callbacks[i] = _callbacks[(_queueHead + i) % length];
            states[i] = _states[(_queueHead + i) % length];
        }

        _callbacks = callbacks;
        _states = states;
        _queueHead = 0;
    }
}
