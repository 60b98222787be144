// A task's waker: the one thing an interrupt handler may do to a task is
// wake it. Created once per task at spawn and cached, so a wake allocates
// nothing; Wake is lock-free (a flag and a ready-queue push) and safe in
// interrupt handlers. A wake resumes the continuation the task parked with
// ExecutorTask.Park (an AsyncSignal's waiter); waking a task that parked
// nothing just polls it.
using System.Threading;

namespace Shared.Tasks;

public sealed class Waker
{
    private readonly ExecutorTask _task;

    internal Waker(ExecutorTask task) => _task = task;

    public ExecutorTask Task => _task;

    /// <summary>Marks the task woken and queues it to be polled. Interrupt-safe; allocates nothing.</summary>
    public void Wake()
    {
        Volatile.Write(ref _task.WokenFlag, 1);
        _task.Executor.Wake(_task);
    }
}
