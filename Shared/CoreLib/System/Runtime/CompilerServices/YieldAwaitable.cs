// `await Task.Yield()`: give the other tasks a turn. The continuation is
// Posted to the current SynchronizationContext (the running kernel task),
// which queues it behind whatever is ready already. There is no thread pool
// to fall back on, so yielding outside a task is an error.
namespace System.Runtime.CompilerServices;

using System.Threading;
using System.Threading.Tasks;

public readonly struct YieldAwaitable
{
    public YieldAwaiter GetAwaiter() => default;

    public readonly struct YieldAwaiter : ICriticalNotifyCompletion
    {
        public bool IsCompleted => false;

        public void OnCompleted(Action continuation) => UnsafeOnCompleted(continuation);

        public void UnsafeOnCompleted(Action continuation)
        {
            SynchronizationContext context = SynchronizationContext.Current;
            if (context is null)
                throw new InvalidOperationException("Task.Yield outside a task: there is no SynchronizationContext to resume on.");
            context.Post(Task.s_invokeAction, continuation);
        }

        public void GetResult()
        {
        }
    }
}
