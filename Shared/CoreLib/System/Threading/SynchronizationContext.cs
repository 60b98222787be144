// Where continuations run, in .NET's shape. An await captures Current; when
// what it waited for completes elsewhere, the continuation is Posted back to
// that context. The kernel's executor makes every kernel task a context and
// sets Current while the task runs, so a task's code always resumes inside
// its own task. One CPU runs tasks, so Current is a plain static (per-CPU
// data once there are more: docs/async.md).
namespace System.Threading;

public delegate void SendOrPostCallback(object state);

public class SynchronizationContext
{
    private static SynchronizationContext s_current;

    public static SynchronizationContext Current => s_current;

    public static void SetSynchronizationContext(SynchronizationContext syncContext) => s_current = syncContext;

    /// <summary>Queues <paramref name="d"/> to run later in this context. The base context has nowhere to queue it: it runs it now.</summary>
    public virtual void Post(SendOrPostCallback d, object state) => d(state);

    public virtual void Send(SendOrPostCallback d, object state) => d(state);
}
