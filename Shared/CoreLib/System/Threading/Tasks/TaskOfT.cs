// A task with a result: what `async Task<T>` methods return.
namespace System.Threading.Tasks;

using System.Runtime.CompilerServices;

[AsyncMethodBuilder(typeof(AsyncTaskMethodBuilder<>))]
public class Task<TResult> : Task
{
    private TResult _result;

    internal Task()
    {
    }

    internal Task(TResult result)
        : base(TaskStatus.RanToCompletion) => _result = result;

    /// <summary>
    /// The result. A task that has not completed cannot be waited for here (there is one CPU and no threads), so
    /// reading Result early is an error rather than a block; a faulted or canceled task throws.
    /// </summary>
    public TResult Result
    {
        get
        {
            ThrowIfUnsuccessful();
            return _result;
        }
    }

    public new TaskAwaiter<TResult> GetAwaiter() => new(this);

    public new ConfiguredTaskAwaitable<TResult> ConfigureAwait(bool continueOnCapturedContext)
        => new(this, continueOnCapturedContext ? ConfigureAwaitOptions.ContinueOnCapturedContext : ConfigureAwaitOptions.None);

    internal bool TrySetResult(TResult result)
    {
        if (IsCompleted)
            return false;
        _result = result;
        return TryComplete(TaskStatus.RanToCompletion, null);
    }

    internal TResult ResultUnchecked => _result;
}
