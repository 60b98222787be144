// What the host tests check of the yield fast path (tests/Host.Tests/Tasks/
// YieldFastPathTests.cs), run through the kernel's own Task, builders and
// Task.Yield compiled into this assembly: Host.Tests itself compiles
// Shared/Tasks against .NET's runtime library, where the fast path does not
// exist. Only strings and numbers cross the assembly boundary.
using System;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Shared.Tasks;

namespace Bench.KernelTasks;

public static class YieldFastPathProbe
{
    /// <summary>Executor.LocalBatchPolls, for the tests' bounds.</summary>
    public const int BatchPolls = Executor.LocalBatchPolls;

    private sealed class TestPlatform : IExecutorPlatform
    {
        public ulong Timestamp => 0;

        public ulong TimestampFrequency => 1000;

        public void WaitForWork(Executor executor) => throw new InvalidOperationException("the probe never waits");

        public void BeforePoll()
        {
        }
    }

    // Records which way the builders handed it an await: the box (fast path) or a Posted callback.
    private sealed class RecordingContext : SynchronizationContext
    {
        public int Boxes;
        public int Posts;
        public Task Box;

        public override void Post(SendOrPostCallback d, object state)
        {
            Posts++;
            d(state);
        }

        public override bool TryQueueResume(Task box)
        {
            Boxes++;
            Box = box;
            return true;
        }

        public void ResumeKept()
        {
            Task box = Box;
            Box = null;
            ResumeStateMachine(box);
        }
    }

    /// <summary>
    /// Three tasks interleaving `await Task.Yield()` with an await of a TaskCompletionSource (a Posted
    /// continuation): the order the executor ran their steps in, e.g. "A0 B0 C0 A1 ...".
    /// </summary>
    public static string InterleavedOrder()
    {
        var executor = new Executor(new TestPlatform());
        var log = new StringBuilder();
        var gate = new TaskCompletionSource();
        executor.Spawn("a", async () =>
        {
            for (int i = 0; i < 3; i++)
            {
                log.Append("A" + i + " ");
                await Task.Yield();
            }

            gate.TrySetResult(); // C's continuation is Posted to C: the general path, behind B's queued box
            log.Append("A3 ");
        });
        executor.Spawn("b", async () =>
        {
            for (int i = 0; i < 4; i++)
            {
                log.Append("B" + i + " ");
                await Task.Yield();
            }
        });
        executor.Spawn("c", async () =>
        {
            log.Append("C0 ");
            await gate.Task;
            log.Append("C1 ");
            await Task.Yield();
            log.Append("C2 ");
        });
        executor.RunUntilIdle();
        return log.ToString().TrimEnd() + (executor.TaskCount == 0 ? "" : " (unfinished tasks)");
    }

    // A clock the probe moves by hand, and a count of the run loop's full rounds (BeforePoll).
    private sealed class ManualPlatform : IExecutorPlatform
    {
        public ulong Now;
        public int Rounds;

        public ulong Timestamp => Now;

        public ulong TimestampFrequency => 1000; // one tick per millisecond

        public void WaitForWork(Executor executor) => throw new InvalidOperationException("the probe never waits");

        public void BeforePoll() => Rounds++;
    }

    /// <summary>
    /// One task yielding <paramref name="yields"/> times with nothing else ready (the direct resume): its polls,
    /// how many full rounds of the run loop it took, and how many polls were direct resumes, as
    /// "polls rounds direct".
    /// </summary>
    public static string LoneYieldingTask(int yields)
    {
        var platform = new ManualPlatform();
        var executor = new Executor(platform);
        ExecutorTask task = executor.Spawn("lone", async () =>
        {
            for (int i = 0; i < yields; i++)
                await Task.Yield();
        });
        executor.RunUntilIdle();
        return task.Polls + " " + platform.Rounds + " " + executor.DirectResumes + (task.Completion.IsCompletedSuccessfully ? "" : " (not finished)");
    }

    /// <summary>
    /// A task yielding in a loop while a 1 ms Delay of another task falls due (the clock jumps at the yielding task's
    /// step 10): how many more steps the yielding task ran before the delayed task did.
    /// </summary>
    public static int StepsBeforeADueTimerRuns()
    {
        var platform = new ManualPlatform();
        var executor = new Executor(platform);
        int steps = 0;
        int stepsWhenTimerRan = -1;
        executor.Spawn("yielder", async () =>
        {
            while (stepsWhenTimerRan < 0 && steps < 100_000)
            {
                if (++steps == 10)
                    platform.Now += 5;
                await Task.Yield();
            }
        });
        executor.Spawn("sleeper", async () =>
        {
            await executor.Delay(1);
            stepsWhenTimerRan = steps;
        });
        executor.RunUntilIdle();
        return stepsWhenTimerRan - 10;
    }

    /// <summary>
    /// A task yielding in a loop wakes, at its step 5, a task that waits: from an interrupt handler's side (an
    /// AsyncSignal's Set: the Waker and the lock-free queue) or from task context (a TaskCompletionSource whose
    /// completion Posts the waiter's continuation). The order the two ran their steps in, e.g. "Y0 ... Y5 W".
    /// </summary>
    public static string WakeDuringDirectResumes(bool fromInterruptHandler)
    {
        var executor = new Executor(new ManualPlatform());
        var log = new StringBuilder();
        var signal = new AsyncSignal();
        var gate = new TaskCompletionSource();
        bool done = false;
        executor.Spawn("waiter", async () =>
        {
            if (fromInterruptHandler)
                await signal.WaitAsync();
            else
                await gate.Task;
            log.Append("W ");
            done = true;
        });
        executor.Spawn("yielder", async () =>
        {
            for (int i = 0; !done && i < 1000; i++)
            {
                log.Append("Y" + i + " ");
                if (i == 5 && fromInterruptHandler)
                    signal.Set();
                else if (i == 5)
                    gate.TrySetResult();
                await Task.Yield();
            }
        });
        executor.RunUntilIdle();
        return log.ToString().TrimEnd();
    }

    /// <summary>
    /// `await Task.Yield()` under a context that takes boxes, then under one that does not (the base
    /// SynchronizationContext, which runs a Post at once): "boxes posts" seen by the first context, e.g. "2 0".
    /// </summary>
    public static string BuilderHandsOverTheBox()
    {
        var context = new RecordingContext();
        SynchronizationContext previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(context);
        int steps = 0;
        Func<Task> body = async () =>
        {
            await Task.Yield();
            steps++;
            await Task.Yield();
            steps++;
        };
        Task task = body();
        while (context.Box is not null)
            context.ResumeKept();
        SynchronizationContext.SetSynchronizationContext(previous);
        return context.Boxes + " " + context.Posts + " " + steps + (task.IsCompletedSuccessfully ? " done" : " not done");
    }
}
