// The awaiters behind `await task` and `await task.ConfigureAwait(...)`.
// Awaiting a completed task allocates nothing: IsCompleted is true, and
// GetResult returns (or throws) at once. Otherwise UnsafeOnCompleted hands the
// state machine box's cached delegate to the task, with the context captured
// now (see Task).
namespace System.Runtime.CompilerServices;

using System.Threading;
using System.Threading.Tasks;

public readonly struct TaskAwaiter : ICriticalNotifyCompletion
{
    private readonly Task _task;

    internal TaskAwaiter(Task task) => _task = task;

    public bool IsCompleted => _task.IsCompleted;

    public void OnCompleted(Action continuation) => _task.AddContinuation(continuation, SynchronizationContext.Current);

    public void UnsafeOnCompleted(Action continuation) => _task.AddContinuation(continuation, SynchronizationContext.Current);

    public void GetResult() => _task.ThrowIfUnsuccessful();
}

public readonly struct TaskAwaiter<TResult> : ICriticalNotifyCompletion
{
    private readonly Task<TResult> _task;

    internal TaskAwaiter(Task<TResult> task) => _task = task;

    public bool IsCompleted => _task.IsCompleted;

    public void OnCompleted(Action continuation) => _task.AddContinuation(continuation, SynchronizationContext.Current);

    public void UnsafeOnCompleted(Action continuation) => _task.AddContinuation(continuation, SynchronizationContext.Current);

    public TResult GetResult() => _task.Result;
}

public readonly struct ConfiguredTaskAwaitable
{
    private readonly ConfiguredTaskAwaiter _awaiter;

    internal ConfiguredTaskAwaitable(Task task, ConfigureAwaitOptions options) => _awaiter = new ConfiguredTaskAwaiter(task, options);

    public ConfiguredTaskAwaiter GetAwaiter() => _awaiter;

    public readonly struct ConfiguredTaskAwaiter : ICriticalNotifyCompletion
    {
        private readonly Task _task;
        private readonly ConfigureAwaitOptions _options;

        internal ConfiguredTaskAwaiter(Task task, ConfigureAwaitOptions options)
        {
            _task = task;
            _options = options;
        }

        public bool IsCompleted => _task.IsCompleted && (_options & ConfigureAwaitOptions.ForceYielding) == 0;

        public void OnCompleted(Action continuation) => UnsafeOnCompleted(continuation);

        public void UnsafeOnCompleted(Action continuation)
        {
            SynchronizationContext context = (_options & ConfigureAwaitOptions.ContinueOnCapturedContext) != 0 ? SynchronizationContext.Current : null;
            if (_task.IsCompleted && context is not null)
                context.Post(Task.s_invokeAction, continuation); // ForceYielding on a completed task
            else
                _task.AddContinuation(continuation, context);
        }

        public void GetResult()
        {
            if ((_options & ConfigureAwaitOptions.SuppressThrowing) == 0)
                _task.ThrowIfUnsuccessful();
        }
    }
}

public readonly struct ConfiguredTaskAwaitable<TResult>
{
    private readonly ConfiguredTaskAwaiter _awaiter;

    internal ConfiguredTaskAwaitable(Task<TResult> task, ConfigureAwaitOptions options) => _awaiter = new ConfiguredTaskAwaiter(task, options);

    public ConfiguredTaskAwaiter GetAwaiter() => _awaiter;

    public readonly struct ConfiguredTaskAwaiter : ICriticalNotifyCompletion
    {
        private readonly Task<TResult> _task;
        private readonly ConfigureAwaitOptions _options;

        internal ConfiguredTaskAwaiter(Task<TResult> task, ConfigureAwaitOptions options)
        {
            _task = task;
            _options = options;
        }

        public bool IsCompleted => _task.IsCompleted;

        public void OnCompleted(Action continuation) => UnsafeOnCompleted(continuation);

        public void UnsafeOnCompleted(Action continuation)
            => _task.AddContinuation(continuation, (_options & ConfigureAwaitOptions.ContinueOnCapturedContext) != 0 ? SynchronizationContext.Current : null);

        public TResult GetResult() => _task.Result;
    }
}
