// The floor under the executor's await round trip: the same `await
// Task.Yield()` loop through the kernel's builders and YieldAwaitable, but
// handed to a SynchronizationContext that only keeps the state-machine box
// (the yield fast path, TryQueueResume), which a plain loop then resumes. What the round trip costs above this is the
// executor's own work (queueing the task, the run loop, the poll).
using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace Bench.KernelTasks;

public static class AwaitFloor
{
    private sealed class KeepContext : SynchronizationContext
    {
        public SendOrPostCallback Callback;
        public object State;

        public Task Box;

        public override void Post(SendOrPostCallback d, object state)
        {
            Callback = d;
            State = state;
        }

        public override bool TryQueueResume(Task box)
        {
            Box = box;
            return true;
        }

        // Resumes what was kept until nothing is: returns when the method has finished.
        public void RunKept()
        {
            while (true)
            {
                if (Box is not null)
                {
                    Task box = Box;
                    Box = null;
                    ResumeStateMachine(box);
                }
                else if (Callback is not null)
                {
                    SendOrPostCallback callback = Callback;
                    Callback = null;
                    callback(State);
                }
                else
                {
                    return;
                }
            }
        }
    }

    /// <summary>The fastest <paramref name="batch"/>-await batch of <paramref name="batches"/>, in ns per await.</summary>
    public static double YieldThroughBareContext(int batches, int batch)
    {
        double best = double.MaxValue;
        var context = new KeepContext();
        SynchronizationContext previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(context);
        Func<Task> body = async () => (best, _) = await KernelTaskBenchmarks.FastestYieldBatch(batches, batch, 1);
        body();
        context.RunKept();
        SynchronizationContext.SetSynchronizationContext(previous);
        return best;
    }
}
