// Where a suspended async method lives. The compiler's state machine is a
// struct on the caller's stack; the first await that really suspends copies
// it into one of these boxes (a Task<TResult> itself, so the method's task and
// its state are one allocation), and the box's cached MoveNext delegate is
// the continuation every later await hands to its awaiter - so a call
// allocates once however often it awaits. When the method finishes, the box
// drops the state machine (and the delegate), so a finished task keeps no
// locals alive.
namespace System.Runtime.CompilerServices;

using System.Threading.Tasks;

internal sealed class AsyncStateMachineBox<TResult, TStateMachine> : Task<TResult>
    where TStateMachine : IAsyncStateMachine
{
    public TStateMachine StateMachine;
    private Action _moveNextAction;

    public Action MoveNextAction => _moveNextAction ??= new Action(MoveNext);

    // The loop is here, inside the box, so that a task that keeps yielding while its executor lets it run on
    // (the direct resume, docs/async.md) costs a direct call of its MoveNext per await, not a virtual call.
    internal override void ResumeStateMachine(System.Threading.SynchronizationContext context)
    {
        if (context is null)
        {
            MoveNext();
            return;
        }

        do
        {
            context.ResumeAgainAsked = false;
            MoveNext();
        }
        while (context.ResumeAgainAsked);
    }

    public void MoveNext()
    {
        StateMachine.MoveNext();
        if (IsCompleted)
        {
            StateMachine = default;
            _moveNextAction = null;
        }
    }

    /// <summary>
    /// The box for <paramref name="stateMachine"/>: the one <paramref name="task"/> already is, or a new one. The
    /// new box is stored in <paramref name="task"/> (the builder inside the state machine) before the state machine
    /// is copied into it, so the boxed copy's builder points at its own box.
    /// </summary>
    public static AsyncStateMachineBox<TResult, TStateMachine> GetOrCreate(ref Task<TResult> task, ref TStateMachine stateMachine)
    {
        if (task is AsyncStateMachineBox<TResult, TStateMachine> existing)
            return existing;
        var box = new AsyncStateMachineBox<TResult, TStateMachine>();
        task = box;
        box.StateMachine = stateMachine;
        return box;
    }
}

/// <summary>The result type of the builders for methods without a result (as in .NET).</summary>
internal struct VoidTaskResult
{
}
