// The awaiters behind `await valueTask`: a ValueTask that already holds its
// result completes the await with no allocation and no call into a Task.
namespace System.Runtime.CompilerServices;

using System.Threading;
using System.Threading.Tasks;

public readonly struct ValueTaskAwaiter : ICriticalNotifyCompletion
{
    private readonly Task _task;

    internal ValueTaskAwaiter(Task task) => _task = task;

    public bool IsCompleted => _task is null || _task.IsCompleted;

    public void OnCompleted(Action continuation) => UnsafeOnCompleted(continuation);

    public void UnsafeOnCompleted(Action continuation)
    {
        if (_task is null)
            continuation();
        else
            _task.AddContinuation(continuation, SynchronizationContext.Current);
    }

    public void GetResult() => _task?.ThrowIfUnsuccessful();
}

public readonly struct ValueTaskAwaiter<TResult> : ICriticalNotifyCompletion
{
    private readonly ValueTask<TResult> _value;

    internal ValueTaskAwaiter(ValueTask<TResult> value) => _value = value;

    public bool IsCompleted => _value.IsCompleted;

    public void OnCompleted(Action continuation) => UnsafeOnCompleted(continuation);

    public void UnsafeOnCompleted(Action continuation)
    {
        if (_value._obj is null)
            continuation();
        else
            _value._obj.AddContinuation(continuation, SynchronizationContext.Current);
    }

    public TResult GetResult() => _value.Result;
}
