// The await round trip and spawn-to-completion timed through the kernel's own
// Task, builders and Task.Yield (compiled from Shared/CoreLib into this
// assembly) under the executor: the code the kernel runs, JIT-compiled.
// Only numbers cross the assembly boundary, so the Bench never sees these
// System.Threading.Tasks types. The Bench also compiles this file into itself,
// over .NET's Task and builders, for its "under .NET's builders" row: one
// timing loop for both.
//
// Each figure has its own copy of the timed `await Task.Yield()` loop (here
// and in AwaitFloor.cs), on purpose: one shared async helper is one
// state-machine type, and the JIT's profile-guided optimization of its
// builder call (TryQueueResume, devirtualized and inlined for the context it
// saw most) then serves one benchmark and slows the others. Measured with a
// shared helper: the lone task's round trip swung between 4.6 and 10.9 ns
// from run to run, against 4.5-5.3 ns with the copies.
using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Shared.Tasks;

namespace Bench.KernelTasks;

public static class KernelTaskBenchmarks
{
    private sealed class HostPlatform : IExecutorPlatform
    {
        public ulong Timestamp => (ulong)Stopwatch.GetTimestamp();

        public ulong TimestampFrequency => (ulong)Stopwatch.Frequency;

        public void WaitForWork(Executor executor) => throw new InvalidOperationException("the benchmark never waits");

        public void BeforePoll()
        {
        }
    }

    /// <summary>
    /// One task awaiting Task.Yield: the fastest <paramref name="batch"/>-await batch of <paramref name="batches"/>,
    /// in ns per await, and the bytes allocated per await over all batches (after a warm-up).
    /// </summary>
    public static (double Nanoseconds, double BytesPerAwait) YieldRoundTrip(int batches, int batch)
    {
        var executor = new Executor(new HostPlatform());
        long bytes = 0;
        double best = double.MaxValue;
        executor.Spawn("bench", async () =>
        {
            for (int i = 0; i < 1000; i++)
                await Task.Yield(); // warm up: the box exists, the continuation ring has its size
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int b = 0; b < batches; b++)
            {
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < batch; i++)
                    await Task.Yield();
                best = Math.Min(best, (Stopwatch.GetTimestamp() - start) * 1e9 / Stopwatch.Frequency / batch);
            }

            bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        });
        executor.RunUntilIdle();
        return (best, (double)bytes / ((double)batches * batch));
    }

    /// <summary>
    /// Two tasks awaiting Task.Yield in turn, so that every await goes through the run queue (another task is
    /// always ready: no direct resume). The fastest batch of <paramref name="batch"/> awaits per task, in ns per
    /// await (both tasks' awaits counted).
    /// </summary>
    public static double YieldRoundTripTwoTasks(int batches, int batch)
    {
        var executor = new Executor(new HostPlatform());
        double best = double.MaxValue;
        int stepsLeft = 0;
        executor.Spawn("partner", async () =>
        {
            while (Volatile.Read(ref stepsLeft) >= 0)
                await Task.Yield();
        });
        executor.Spawn("bench", async () =>
        {
            for (int i = 0; i < 1000; i++)
                await Task.Yield();
            for (int b = 0; b < batches; b++)
            {
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < batch; i++)
                    await Task.Yield();
                best = Math.Min(best, (Stopwatch.GetTimestamp() - start) * 1e9 / Stopwatch.Frequency / (2.0 * batch));
            }

            Volatile.Write(ref stepsLeft, -1);
        });
        executor.RunUntilIdle();
        return best;
    }

    /// <summary>Spawns <paramref name="batch"/> tasks that yield once and runs them to completion; the fastest batch's ns per task.</summary>
    public static double SpawnToCompletion(int batches, int batch)
    {
        var executor = new Executor(new HostPlatform(), 1024);
        Func<Task> body = static async () => await Task.Yield();
        double best = double.MaxValue;
        for (int b = 0; b < batches; b++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < batch; i++)
                executor.Spawn("t", body);
            executor.RunUntilIdle();
            best = Math.Min(best, (Stopwatch.GetTimestamp() - start) * 1e9 / Stopwatch.Frequency / batch);
        }

        return best;
    }
}
