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
