// What the four async builders (Task, Task<T>, ValueTask, ValueTask<T>) share:
// the method's task, created only when it is asked for or the method suspends,
// and the awaits that box the state machine (AsyncStateMachineBox) and hand the
// box's cached MoveNext delegate to the awaiter. The builders differ only in
// what a method that finishes without suspending returns (AsyncTaskMethodBuilder,
// AsyncValueTaskMethodBuilder); this struct lives inside each of them, so it
// adds no allocation.
namespace System.Runtime.CompilerServices;

using System.Threading;
using System.Threading.Tasks;

internal struct AsyncMethodBuilderCore<TResult>
{
    // Null until the method suspends (then its box) or someone asks for the task of a finished method.
    internal Task<TResult> _task;

    public static void Start<TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine => stateMachine.MoveNext();

    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion
        where TStateMachine : IAsyncStateMachine
        => awaiter.OnCompleted(AsyncStateMachineBox<TResult, TStateMachine>.GetOrCreate(ref _task, ref stateMachine).MoveNextAction);

    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion
        where TStateMachine : IAsyncStateMachine
    {
        AsyncStateMachineBox<TResult, TStateMachine> box = AsyncStateMachineBox<TResult, TStateMachine>.GetOrCreate(ref _task, ref stateMachine);

        // The yield fast path: `await Task.Yield()` inside a context that queues boxes itself (a kernel task)
        // hands it the box, not the box's delegate. For a value-type TAwaiter the compiler folds the test (box +
        // isinst of a known type) to a constant, so other awaits keep only the general path below. Not typeof(...)
        // == typeof(...): this runtime library's typeof is no intrinsic, and costs allocations per call in the kernel.
        if (default(TAwaiter) is YieldAwaitable.YieldAwaiter)
        {
            SynchronizationContext context = SynchronizationContext.Current;
            if (context is not null && context.TryQueueResume(box))
                return;
        }

        awaiter.UnsafeOnCompleted(box.MoveNextAction);
    }

    /// <summary>Faults the task (cancels it for an OperationCanceledException), creating it if the method never suspended.</summary>
    public void SetException(Exception exception)
    {
        _task ??= new Task<TResult>();
        if (exception is OperationCanceledException)
            _task.TrySetCanceled();
        else
            _task.TrySetException(exception);
    }
}
