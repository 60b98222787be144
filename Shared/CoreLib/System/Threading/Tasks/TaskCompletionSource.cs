// A task completed by hand: timers, input sources and the executor use it to
// hand out a Task and complete it later (.NET's shape).
namespace System.Threading.Tasks;

using System.Runtime.CompilerServices;

public class TaskCompletionSource
{
    private readonly Task<VoidTaskResult> _task = new();

    public Task Task => _task;

    public bool TrySetResult() => _task.TrySetResult(default(VoidTaskResult));

    public void SetResult()
    {
        if (!TrySetResult())
            throw new InvalidOperationException("The task was already completed.");
    }

    public bool TrySetCanceled() => _task.TrySetCanceledInternal();

    public bool TrySetCanceled(CancellationToken cancellationToken) => _task.TrySetCanceledInternal();

    public bool TrySetException(Exception exception) => _task.TrySetExceptionInternal(exception);
}

public class TaskCompletionSource<TResult>
{
    private readonly Task<TResult> _task = new();

    public Task<TResult> Task => _task;

    public bool TrySetResult(TResult result) => _task.TrySetResult(result);

    public void SetResult(TResult result)
    {
        if (!TrySetResult(result))
            throw new InvalidOperationException("The task was already completed.");
    }

    public bool TrySetCanceled() => _task.TrySetCanceledInternal();

    public bool TrySetCanceled(CancellationToken cancellationToken) => _task.TrySetCanceledInternal();

    public bool TrySetException(Exception exception) => _task.TrySetExceptionInternal(exception);
}
