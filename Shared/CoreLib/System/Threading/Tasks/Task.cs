// A promise of completion in .NET's shape: what `async Task` methods return
// and what `await` waits for. There are no threads here, so a Task never runs
// code by itself: it is completed by whoever holds it (an async method's
// builder, TaskCompletionSource, a timer), and completing it runs the
// continuations registered on it.
//
// Where a continuation runs follows .NET's rule: an await captures
// SynchronizationContext.Current (the executor sets it to the running kernel
// task); when the task completes, a continuation whose context is the one
// running now runs inline, any other is Posted to its context (the owning
// kernel task queues it and wakes). Without a context it runs inline.
//
// One CPU runs tasks today: registration and completion are not atomic
// against each other on two CPUs (docs/async.md).
namespace System.Threading.Tasks;

using System.Runtime.CompilerServices;

public enum TaskStatus
{
    Created,
    WaitingForActivation,
    WaitingToRun,
    Running,
    WaitingForChildrenToComplete,
    RanToCompletion,
    Canceled,
    Faulted,
}

[Flags]
public enum ConfigureAwaitOptions
{
    None = 0,
    ContinueOnCapturedContext = 1,
    SuppressThrowing = 2,
    ForceYielding = 4,
}

[AsyncMethodBuilder(typeof(AsyncTaskMethodBuilder))]
public class Task
{
    // Cached so that posting a continuation allocates nothing: the state is the continuation itself.
    internal static readonly SendOrPostCallback s_invokeAction = static state => ((Action)state)();
    internal static readonly Task<VoidTaskResult> s_completedVoid = new(default(VoidTaskResult));

    private TaskStatus _status = TaskStatus.WaitingForActivation;
    private object _continuation; // Action or ITaskCompletionAction
    private SynchronizationContext _continuationContext;
    private ContinuationList _moreContinuations;
    private Exception _exception;

    internal Task()
    {
    }

    internal Task(TaskStatus status) => _status = status;

    // An async method's box (AsyncStateMachineBox) runs its state machine's next step, and more steps while
    // `context` asks for them (SynchronizationContext.ResumeAgain); any other task has none. What
    // SynchronizationContext.ResumeStateMachine calls for a box queued through TryQueueResume.
    internal virtual void ResumeStateMachine(System.Threading.SynchronizationContext context)
    {
    }

    public static Task CompletedTask => s_completedVoid;

    public TaskStatus Status => _status;

    public bool IsCompleted => _status >= TaskStatus.RanToCompletion;

    public bool IsCompletedSuccessfully => _status == TaskStatus.RanToCompletion;

    public bool IsFaulted => _status == TaskStatus.Faulted;

    public bool IsCanceled => _status == TaskStatus.Canceled;

    /// <summary>What made the task fault (null unless faulted).</summary>
    public AggregateException Exception => _exception is null ? null : new AggregateException(_exception);

    public TaskAwaiter GetAwaiter() => new(this);

    public ConfiguredTaskAwaitable ConfigureAwait(bool continueOnCapturedContext)
        => new(this, continueOnCapturedContext ? ConfigureAwaitOptions.ContinueOnCapturedContext : ConfigureAwaitOptions.None);

    public ConfiguredTaskAwaitable ConfigureAwait(ConfigureAwaitOptions options) => new(this, options);

    public static Task<TResult> FromResult<TResult>(TResult result) => new(result);

    public static Task FromCanceled(CancellationToken cancellationToken)
    {
        var task = new Task();
        task.TrySetCanceled();
        return task;
    }

    public static Task FromException(Exception exception)
    {
        var task = new Task();
        task.TrySetException(exception);
        return task;
    }

    /// <summary>A task that completes after <paramref name="millisecondsDelay"/> ms (DelayScheduler.Current's clock).</summary>
    public static Task Delay(int millisecondsDelay) => Delay(millisecondsDelay, default);

    /// <summary>As Delay(ms), but canceled (and its timer removed) when <paramref name="cancellationToken"/> is.</summary>
    public static Task Delay(int millisecondsDelay, CancellationToken cancellationToken)
    {
        if (millisecondsDelay < 0)
            throw new ArgumentOutOfRangeException(nameof(millisecondsDelay), "The delay must not be negative.");
        if (cancellationToken.IsCancellationRequested)
            return FromCanceled(cancellationToken);
        if (millisecondsDelay == 0)
            return CompletedTask;
        DelayScheduler scheduler = DelayScheduler.Current;
        if (scheduler is null)
            throw new InvalidOperationException("Task.Delay needs a timer: no DelayScheduler is installed.");
        return scheduler.Delay((uint)millisecondsDelay, cancellationToken);
    }

    /// <summary>An awaitable that always suspends and resumes through the current SynchronizationContext.</summary>
    public static YieldAwaitable Yield() => default;

    /// <summary>A task that completes when every one of <paramref name="tasks"/> has (faulted if any faulted).</summary>
    public static Task WhenAll(params Task[] tasks)
    {
        int pending = 0;
        for (int i = 0; i < tasks.Length; i++)
        {
            if (tasks[i] is null)
                throw new ArgumentException("The tasks array contains a null task.", nameof(tasks));
            if (!tasks[i].IsCompleted)
                pending++;
        }

        if (pending == 0)
            return WhenAllPromise.Outcome(tasks);
        var promise = new WhenAllPromise(tasks, pending);
        for (int i = 0; i < tasks.Length; i++)
        {
            if (!tasks[i].IsCompleted)
                tasks[i].AddContinuation(promise, null);
        }

        return promise;
    }

    /// <summary>A task whose result is the first of <paramref name="tasks"/> to complete (in array order when several already have).</summary>
    public static Task<Task> WhenAny(params Task[] tasks)
    {
        if (tasks.Length == 0)
            throw new ArgumentException("WhenAny needs at least one task.", nameof(tasks));
        for (int i = 0; i < tasks.Length; i++)
        {
            if (tasks[i] is null)
                throw new ArgumentException("The tasks array contains a null task.", nameof(tasks));
            if (tasks[i].IsCompleted)
                return new Task<Task>(tasks[i]);
        }

        var promise = new WhenAnyPromise();
        for (int i = 0; i < tasks.Length; i++)
            tasks[i].AddContinuation(promise, null);
        return promise;
    }

    internal bool TrySetResult() => TryComplete(TaskStatus.RanToCompletion, null);

    internal bool TrySetException(Exception exception) => TryComplete(TaskStatus.Faulted, exception);

    internal bool TrySetCanceled() => TryComplete(TaskStatus.Canceled, null);

    internal bool TrySetCanceledInternal() => TrySetCanceled();

    internal bool TrySetExceptionInternal(Exception exception) => TrySetException(exception);

    private protected bool TryComplete(TaskStatus status, Exception exception)
    {
        if (IsCompleted)
            return false;
        _exception = exception;
        _status = status;
        RunContinuations();
        return true;
    }

    /// <summary>Throws what awaiting this completed task should throw (nothing when it ran to completion).</summary>
    internal void ThrowIfUnsuccessful()
    {
        if (!IsCompleted)
            throw new InvalidOperationException("The task has not completed; waiting for it would block the only CPU.");
        if (_status == TaskStatus.Faulted)
            throw _exception;
        if (_status == TaskStatus.Canceled)
            throw new TaskCanceledException();
    }

    /// <summary>
    /// Runs <paramref name="continuation"/> (an Action or an ITaskCompletionAction) when this task completes, on
    /// <paramref name="context"/> when one is given; at once if it already has.
    /// </summary>
    internal void AddContinuation(object continuation, SynchronizationContext context)
    {
        if (IsCompleted)
        {
            RunContinuation(continuation, context);
            return;
        }

        if (_continuation is null)
        {
            _continuation = continuation;
            _continuationContext = context;
            return;
        }

        (_moreContinuations ??= new ContinuationList()).Add(continuation, context);
    }

    private void RunContinuations()
    {
        object first = _continuation;
        SynchronizationContext firstContext = _continuationContext;
        ContinuationList more = _moreContinuations;
        _continuation = null;
        _continuationContext = null;
        _moreContinuations = null;
        if (first is not null)
            RunContinuation(first, firstContext);
        if (more is not null)
        {
            for (int i = 0; i < more.Count; i++)
                RunContinuation(more.Continuations[i], more.Contexts[i]);
        }
    }

    private void RunContinuation(object continuation, SynchronizationContext context)
    {
        if (continuation is ITaskCompletionAction action)
        {
            action.Invoke(this);
            return;
        }

        if (context is null || context == SynchronizationContext.Current)
            ((Action)continuation)();
        else
            context.Post(s_invokeAction, continuation);
    }

    // Continuations beyond the first: rare (a task awaited and also passed to WhenAll, say).
    private sealed class ContinuationList
    {
        public object[] Continuations = new object[2];
        public SynchronizationContext[] Contexts = new SynchronizationContext[2];
        public int Count;

        public void Add(object continuation, SynchronizationContext context)
        {
            if (Count == Continuations.Length)
            {
                var continuations = new object[Count * 2];
                var contexts = new SynchronizationContext[Count * 2];
                for (int i = 0; i < Count; i++)
                {
                    continuations[i] = Continuations[i];
                    contexts[i] = Contexts[i];
                }

                Continuations = continuations;
                Contexts = contexts;
            }

            Continuations[Count] = continuation;
            Contexts[Count] = context;
            Count++;
        }
    }
}

/// <summary>A continuation that runs inline with the completed task as argument (WhenAll, WhenAny).</summary>
internal interface ITaskCompletionAction
{
    void Invoke(Task completed);
}

internal sealed class WhenAllPromise : Task<VoidTaskResult>, ITaskCompletionAction
{
    private Task[] _tasks;
    private int _pending;

    public WhenAllPromise(Task[] tasks, int pending)
    {
        _tasks = tasks;
        _pending = pending;
    }

    public void Invoke(Task completed)
    {
        if (--_pending != 0)
            return;
        Task[] tasks = _tasks;
        _tasks = null;
        Complete(this, tasks);
    }

    public static Task Outcome(Task[] tasks)
    {
        for (int i = 0; i < tasks.Length; i++)
        {
            if (!tasks[i].IsCompletedSuccessfully)
            {
                var task = new Task();
                Complete(task, tasks);
                return task;
            }
        }

        return Task.CompletedTask;
    }

    private static void Complete(Task target, Task[] tasks)
    {
        for (int i = 0; i < tasks.Length; i++)
        {
            if (tasks[i].IsFaulted)
            {
                target.TrySetException(tasks[i].Exception.InnerException);
                return;
            }
        }

        for (int i = 0; i < tasks.Length; i++)
        {
            if (tasks[i].IsCanceled)
            {
                target.TrySetCanceled();
                return;
            }
        }

        target.TrySetResult();
    }
}

// The tasks that lose the race keep a reference to the promise until they complete too.
internal sealed class WhenAnyPromise : Task<Task>, ITaskCompletionAction
{
    public void Invoke(Task completed) => TrySetResult(completed);
}
