// The builders for `async Task` and `async Task<T>` methods, in .NET's shape.
// A method that finishes before its first real suspension never allocates a
// box: its task is Task.CompletedTask (or a completed Task<T>); a suspension
// boxes the state machine once (AsyncMethodBuilderCore, AsyncStateMachineBox).
namespace System.Runtime.CompilerServices;

using System.Threading.Tasks;

public struct AsyncTaskMethodBuilder
{
    private AsyncTaskMethodBuilder<VoidTaskResult> _builder;

    public static AsyncTaskMethodBuilder Create() => default;

    public Task Task => _builder.Task;

    public void Start<TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine => AsyncMethodBuilderCore<VoidTaskResult>.Start(ref stateMachine);

    public void SetStateMachine(IAsyncStateMachine stateMachine)
    {
    }

    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion
        where TStateMachine : IAsyncStateMachine => _builder.AwaitOnCompleted(ref awaiter, ref stateMachine);

    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion
        where TStateMachine : IAsyncStateMachine => _builder.AwaitUnsafeOnCompleted(ref awaiter, ref stateMachine);

    public void SetResult() => _builder.SetResult(Task.s_completedVoid);

    public void SetException(Exception exception) => _builder.SetException(exception);
}

public struct AsyncTaskMethodBuilder<TResult>
{
    private AsyncMethodBuilderCore<TResult> _core;

    public static AsyncTaskMethodBuilder<TResult> Create() => default;

    public Task<TResult> Task => _core._task ??= new Task<TResult>();

    public void Start<TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine => AsyncMethodBuilderCore<TResult>.Start(ref stateMachine);

    public void SetStateMachine(IAsyncStateMachine stateMachine)
    {
    }

    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion
        where TStateMachine : IAsyncStateMachine => _core.AwaitOnCompleted(ref awaiter, ref stateMachine);

    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion
        where TStateMachine : IAsyncStateMachine => _core.AwaitUnsafeOnCompleted(ref awaiter, ref stateMachine);

    public void SetResult(TResult result)
    {
        if (_core._task is null)
            _core._task = new Task<TResult>(result);
        else
            _core._task.TrySetResult(result);
    }

    // The synchronous case for methods without a result: one shared completed task, no allocation.
    internal void SetResult(Task<TResult> completed)
    {
        if (_core._task is null)
            _core._task = completed;
        else
            _core._task.TrySetResult(default);
    }

    public void SetException(Exception exception) => _core.SetException(exception);
}
