// The floor under the executor's await round trip: the same `await
// Task.Yield()` loop through the kernel's builders and YieldAwaitable, but
// handed to a SynchronizationContext that does the least a context can (the
// yield fast path, TryQueueResume): it has the box it is resuming run on at
// once (ResumeAgain, the loop inside the box, as the executor's direct
// resume does), with no checks at all. What the round trip costs above this
// is the executor's own work (the other-task check, the budget, the poll's
// bookkeeping).
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
        private Task _running;

        public override void Post(SendOrPostCallback d, object state)
        {
            Callback = d;
            State = state;
        }

        public override bool TryQueueResume(Task box)
        {
            if (box == _running)
                ResumeAgain();
            else
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
                    _running = box;
                    ResumeStateMachineWhileAsked(box);
                    _running = null;
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
        Func<Task> body = async () =>
        {
            for (int i = 0; i < 1000; i++)
                await Task.Yield();
            for (int b = 0; b < batches; b++)
            {
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < batch; i++)
                    await Task.Yield();
                best = Math.Min(best, (Stopwatch.GetTimestamp() - start) * 1e9 / Stopwatch.Frequency / batch);
            }
        };
        body();
        context.RunKept();
        SynchronizationContext.SetSynchronizationContext(previous);
        return best;
    }
}
