// The executor over a fake clock (FakePlatform) and fake interrupts (host
// threads or direct Waker calls): the same source files the kernel runs,
// with .NET's own Task underneath instead of the kernel's runtime library.
using System.Runtime.CompilerServices;
using Shared.Tasks;
using Xunit;

namespace Host.Tests.Tasks;

public sealed class ExecutorTests
{
    private sealed class FakePlatform : IExecutorPlatform
    {
        public ulong Now;

        public ulong Timestamp => Now;

        public ulong TimestampFrequency => 1000; // the fake clock counts milliseconds

        public void WaitForWork(Executor executor) => throw new InvalidOperationException("tests do not sleep");

        public void BeforePoll()
        {
        }
    }

    private static (Executor Executor, FakePlatform Clock) Create(int capacity = 16)
    {
        var clock = new FakePlatform();
        return (new Executor(clock, capacity), clock);
    }

    [Fact]
    public void Spawned_Tasks_RunInSpawnOrder_AndRequeueBehindEachOther_AtYield()
    {
        (Executor executor, _) = Create();
        var log = new List<string>();
        foreach (string name in new[] { "a", "b", "c" })
        {
            executor.Spawn(name, async () =>
            {
                log.Add(name + "1");
                await Task.Yield();
                log.Add(name + "2");
            });
        }

        executor.RunUntilIdle();

        Assert.Equal(new[] { "a1", "b1", "c1", "a2", "b2", "c2" }, log);
        Assert.Equal(0, executor.TaskCount);
        Assert.Equal(3UL, executor.CompletedTasks);
    }

    [Fact]
    public void TaskStates_And_Polls_AreTracked()
    {
        (Executor executor, _) = Create();
        var signal = new AsyncSignal();
        ExecutorTask task = executor.Spawn("waiter", async () => await signal.WaitAsync());
        Assert.Equal(ExecutorTaskState.Ready, task.State);

        executor.RunUntilIdle();
        Assert.Equal(ExecutorTaskState.Waiting, task.State);
        Assert.Equal(1UL, task.Polls);

        signal.Set();
        Assert.Equal(ExecutorTaskState.Ready, task.State);
        executor.RunUntilIdle();
        Assert.Equal(ExecutorTaskState.Completed, task.State);
        Assert.True(task.Completion.IsCompletedSuccessfully);
        Assert.Equal(2UL, task.Polls);
    }

    // Wakes that arrive while the executor is busy are not lost: the task's own waker firing during its poll
    // (an interrupt in the middle of it) resumes what it parked at the end of that poll; a wake from a task
    // polled later in the same round (after the waiter's poll, before the round ends) queues it again.
    [Fact]
    public void Wake_ArrivingBeforeThePollFinishes_IsNotLost()
    {
        (Executor executor, _) = Create();
        var signal = new AsyncSignal();
        bool resumed = false;
        ExecutorTask task = executor.Spawn("racer", async () =>
        {
            ExecutorTask.CurrentTask!.Waker.Wake();
            await signal.WaitAsync();
            resumed = true;
        });
        Assert.Equal(1, executor.RunReady());
        Assert.True(resumed);
        Assert.Equal(ExecutorTaskState.Completed, task.State);

        var second = new AsyncSignal();
        bool woken = false;
        ExecutorTask waiter = executor.Spawn("waiter", async () =>
        {
            await second.WaitAsync();
            woken = true;
        });
        executor.Spawn("waker", () =>
        {
            second.Set();
            return Task.CompletedTask;
        });
        Assert.Equal(2, executor.RunReady());
        Assert.False(woken);
        Assert.Equal(ExecutorTaskState.Ready, waiter.State);
        Assert.Equal(1, executor.RunReady());
        Assert.True(woken);
        Assert.Equal(ExecutorTaskState.Completed, waiter.State);
    }

    // A host thread plays the interrupt handler: it raises the signal many times while the executor runs. Every
    // raise is followed by a wake of the waiter (raises that coalesce are allowed); the last one is never lost.
    [Fact]
    public void Signal_RaisedFromAnotherThread_NeverLosesTheLastRaise()
    {
        (Executor executor, _) = Create();
        var signal = new AsyncSignal();
        int raised = 0;
        int seen = 0;
        bool done = false;
        executor.Spawn("consumer", async () =>
        {
            while (!Volatile.Read(ref done) || Volatile.Read(ref raised) != seen)
            {
                await signal.WaitAsync();
                seen = Volatile.Read(ref raised);
            }
        });
        var irq = new Thread(() =>
        {
            var random = new Random(5);
            for (int i = 0; i < 20_000; i++)
            {
                Interlocked.Increment(ref raised);
                signal.Set();
                if (random.Next(8) == 0)
                    Thread.SpinWait(random.Next(200));
            }

            Volatile.Write(ref done, true);
            signal.Set();
        });
        irq.Start();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (executor.TaskCount != 0)
        {
            executor.RunReady();
            Assert.True(DateTime.UtcNow < deadline, "the consumer saw " + seen + " of " + raised + " raises and stopped being woken");
        }

        irq.Join();
        Assert.Equal(20_000, seen);
    }

    [Fact]
    public void FullReadyQueue_OverflowingWakes_AreSweptUp_NoneLost()
    {
        (Executor executor, _) = Create(capacity: 4);
        int steps = 0;
        for (int i = 0; i < 50; i++)
        {
            executor.Spawn("t" + i, async () =>
            {
                for (int j = 0; j < 3; j++)
                {
                    steps++;
                    await Task.Yield();
                }
            });
        }

        executor.RunUntilIdle();

        Assert.Equal(150, steps);
        Assert.Equal(0, executor.TaskCount);
        Assert.True(executor.ReadyQueueOverflows > 0);
    }

    [Fact]
    public void TenThousandDelays_CompleteInDeadlineOrder_NeverBeforeTheirDeadline()
    {
        (Executor executor, FakePlatform clock) = Create();
        var random = new Random(42);
        var deadlines = Enumerable.Range(0, 10_000).Select(_ => (uint)random.Next(1, 5_000)).ToArray();
        var order = new List<int>();
        executor.Spawn("sleepers", async () =>
        {
            var sleepers = new Task[deadlines.Length];
            for (int i = 0; i < deadlines.Length; i++)
                sleepers[i] = Sleep(executor, clock, i, deadlines[i], order);
            await Task.WhenAll(sleepers);
        });

        for (ulong now = 0; now <= 5_000; now += 3)
        {
            clock.Now = now;
            executor.RunUntilIdle();
        }

        Assert.Equal(deadlines.Select((d, i) => (d, i)).OrderBy(x => x.d).ThenBy(x => x.i).Select(x => x.i), order);
        Assert.Equal(0, executor.PendingTimers);
        Assert.Equal(0, executor.TaskCount);
    }

    private static async Task Sleep(Executor executor, FakePlatform clock, int index, uint ms, List<int> order)
    {
        ulong start = clock.Now;
        await executor.Delay(ms);
        Assert.True(clock.Now >= start + ms, "never early");
        order.Add(index);
    }

    [Fact]
    public void Cancellation_CancelsTheDelay_AndRemovesItsTimer()
    {
        (Executor executor, FakePlatform clock) = Create();
        var source = new CancellationTokenSource();
        Task? delay = null;
        string outcome = "";
        executor.Spawn("sleeper", async () =>
        {
            delay = executor.Delay(10_000, source.Token);
            await delay.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
            outcome = delay.IsCanceled ? "canceled" : "completed";
        });
        executor.RunUntilIdle();
        Assert.Equal(1, executor.PendingTimers);

        clock.Now = 100;
        source.Cancel();
        executor.RunUntilIdle();

        Assert.Equal("canceled", outcome);
        Assert.Equal(0, executor.PendingTimers);
        Assert.True(executor.Delay(5, source.Token).IsCanceled);
    }

    [Fact]
    public void FinishedTask_LeavesNothingReachable_FromTheExecutor()
    {
        (Executor executor, _) = Create();
        WeakReference[] references = SpawnAndFinish(executor);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.All(references, r => Assert.False(r.IsAlive, "a finished task's state is still reachable"));
        Assert.Equal(0, executor.TaskCount);
        GC.KeepAlive(executor);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference[] SpawnAndFinish(Executor executor)
    {
        var payload = new byte[1 << 20];
        var signal = new AsyncSignal();
        ExecutorTask task = executor.Spawn("holder", async () =>
        {
            await signal.WaitAsync();
            GC.KeepAlive(payload);
        });
        executor.RunUntilIdle();
        signal.Set();
        executor.RunUntilIdle();
        Assert.Equal(ExecutorTaskState.Completed, task.State);
        return new[] { new WeakReference(payload), new WeakReference(task), new WeakReference(signal) };
    }

    [Fact]
    public void BoundedChannel_WriterWaitsWhenFull_ReaderWhenEmpty_OrderKept()
    {
        (Executor executor, _) = Create();
        var channel = new BoundedChannel<int>(4);
        var received = new List<int>();
        executor.Spawn("writer", async () =>
        {
            for (int i = 0; i < 100; i++)
                await channel.WriteAsync(i);
            channel.Complete();
        });
        executor.Spawn("reader", async () =>
        {
            while (true)
            {
                ChannelItem<int> item = await channel.ReadAsync();
                if (!item.HasValue)
                    return;
                received.Add(item.Value);
                if (item.Value % 7 == 0)
                    await Task.Yield();
            }
        });

        executor.RunUntilIdle();

        Assert.Equal(Enumerable.Range(0, 100), received);
        Assert.Equal(0, executor.TaskCount);
    }
}
