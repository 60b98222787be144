// The builders for `async ValueTask` and `async ValueTask<T>` methods. A
// method that completes synchronously returns its result inside the
// ValueTask itself (no allocation at all); one that suspends is boxed exactly
// like an `async Task` method (AsyncMethodBuilderCore) and the ValueTask
// wraps the box.
namespace System.Runtime.CompilerServices;

using System.Threading.Tasks;

public struct AsyncValueTaskMethodBuilder
{
    private AsyncValueTaskMethodBuilder<VoidTaskResult> _builder;

    public static AsyncValueTaskMethodBuilder Create() => default;

    public ValueTask Task
    {
        get
        {
            ValueTask<VoidTaskResult> inner = _builder.Task;
            return inner._obj is Task task ? new ValueTask(task) : default;
        }
    }

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

    public void SetResult() => _builder.SetResult(default);

    public void SetException(Exception exception) => _builder.SetException(exception);
}

public struct AsyncValueTaskMethodBuilder<TResult>
{
    private AsyncMethodBuilderCore<TResult> _core;
    private TResult _result; // the result of a method that never suspended (no task exists then)

    public static AsyncValueTaskMethodBuilder<TResult> Create() => default;

    public ValueTask<TResult> Task => _core._task is null ? new ValueTask<TResult>(_result) : new ValueTask<TResult>(_core._task);

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
            _result = result;
        else
            _core._task.TrySetResult(result);
    }

    public void SetException(Exception exception) => _core.SetException(exception);
}
