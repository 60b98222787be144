// ValueTask and ValueTask<T>: a result that is usually there already. A
// ValueTask<T> holds either the result itself (no allocation) or the Task
// that will produce it. (.NET's third form, an IValueTaskSource, is not
// implemented: docs/async.md.)
namespace System.Threading.Tasks;

using System.Runtime.CompilerServices;

[AsyncMethodBuilder(typeof(AsyncValueTaskMethodBuilder))]
public readonly struct ValueTask
{
    internal readonly Task _task;

    public ValueTask(Task task) => _task = task ?? throw new ArgumentNullException(nameof(task));

    public static ValueTask CompletedTask => default;

    public bool IsCompleted => _task is null || _task.IsCompleted;

    public bool IsCompletedSuccessfully => _task is null || _task.IsCompletedSuccessfully;

    public bool IsFaulted => _task is not null && _task.IsFaulted;

    public bool IsCanceled => _task is not null && _task.IsCanceled;

    public Task AsTask() => _task ?? Task.CompletedTask;

    public ValueTaskAwaiter GetAwaiter() => new(_task);

    public static ValueTask<TResult> FromResult<TResult>(TResult result) => new(result);
}

[AsyncMethodBuilder(typeof(AsyncValueTaskMethodBuilder<>))]
public readonly struct ValueTask<TResult>
{
    internal readonly Task<TResult> _obj;
    internal readonly TResult _result;

    public ValueTask(TResult result)
    {
        _obj = null;
        _result = result;
    }

    public ValueTask(Task<TResult> task)
    {
        _obj = task ?? throw new ArgumentNullException(nameof(task));
        _result = default;
    }

    public bool IsCompleted => _obj is null || _obj.IsCompleted;

    public bool IsCompletedSuccessfully => _obj is null || _obj.IsCompletedSuccessfully;

    public bool IsFaulted => _obj is not null && _obj.IsFaulted;

    public bool IsCanceled => _obj is not null && _obj.IsCanceled;

    public TResult Result => _obj is null ? _result : _obj.Result;

    public Task<TResult> AsTask() => _obj ?? Task.FromResult(_result);

    public ValueTaskAwaiter<TResult> GetAwaiter() => new(this);
}
