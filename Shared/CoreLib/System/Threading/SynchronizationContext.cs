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

    /// <summary>
    /// The yield fast path (docs/async.md): queues an async method's state-machine box to be resumed in this
    /// context, with no delegate and no (callback, state) pair. The builders call it for `await Task.Yield()`; a
    /// context that returns false gets the continuation through <see cref="Post"/> as usual. The base context
    /// has no queue of its own, so it declines.
    /// </summary>
    public virtual bool TryQueueResume(System.Threading.Tasks.Task box) => false;

    /// <summary>Resumes a box handed to <see cref="TryQueueResume"/>: one virtual call to its MoveNext.</summary>
    protected static void ResumeStateMachine(System.Threading.Tasks.Task box) => box.ResumeStateMachine(null);

    /// <summary>
    /// Resumes a box handed to <see cref="TryQueueResume"/>, and resumes it again each time it yields and this
    /// context's TryQueueResume answers with <see cref="ResumeAgain"/>: a loop inside the box, with a direct call of
    /// its MoveNext per step.
    /// </summary>
    protected void ResumeStateMachineWhileAsked(System.Threading.Tasks.Task box) => box.ResumeStateMachine(this);

    /// <summary>
    /// Called by TryQueueResume, instead of queueing the box, for the box <see cref="ResumeStateMachineWhileAsked"/>
    /// is running: it is resumed again as soon as its MoveNext returns.
    /// </summary>
    protected void ResumeAgain() => ResumeAgainAsked = true;

    internal bool ResumeAgainAsked;
}
