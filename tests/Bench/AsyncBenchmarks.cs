// The async machinery's costs, each beside a peer measured in the same run:
// - host: an await round trip (suspend, post to the task, resume) through
//   Shared/Tasks' executor and the kernel's own Task, builders and
//   Task.Yield (Shared/CoreLib compiled for the host: tests/Bench.KernelTasks),
//   beside .NET's Task.Yield on the thread pool, and the bytes allocated per
//   steady-state await; also the same executor under .NET's builders and
//   Task.Yield (what the host tests run), to show what those cost;
// - host: spawn-to-completion of a task that yields once, beside Task.Run;
// (The kernel and boot figures are AsyncKernelBenchmarks, group async-kernel.)
// Every host figure is the fastest of many short batches (the machine is
// shared: the uncontended cost), after a warm-up long enough for the JIT's
// tiering to reach its final code, for every peer alike.
extern alias KernelTasks;

using System.Diagnostics;
using Shared.Tasks;
using AwaitFloor = KernelTasks::Bench.KernelTasks.AwaitFloor;
using KernelTaskBenchmarks = KernelTasks::Bench.KernelTasks.KernelTaskBenchmarks;
// The same source compiled into this assembly over .NET's Task, builders and Task.Yield (what the host tests run).
using DotnetTaskBenchmarks = global::Bench.KernelTasks.KernelTaskBenchmarks;

namespace Bench;

public sealed class AsyncBenchmarks : IBenchmark
{
    private const int Batches = 200;
    private const int Batch = 1000;
    private const int SpawnBatches = 100;
    private const int SpawnBatch = 512;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);

    public string Name => "async";

    public IEnumerable<BenchmarkResult> Run(BenchmarkContext context)
    {
        // Tier-0 code and on-stack replacement run several times slower than the final code: warm every peer up
        // until the JIT has settled, then measure.
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed < WarmUp)
        {
            KernelTaskBenchmarks.YieldRoundTrip(20, Batch);
            KernelTaskBenchmarks.YieldRoundTripTwoTasks(20, Batch);
            AwaitFloor.YieldThroughBareContext(20, Batch);
            DotnetTaskBenchmarks.YieldRoundTrip(20, Batch);
            ThreadPoolRoundTrip(20);
            KernelTaskBenchmarks.SpawnToCompletion(10, SpawnBatch);
            ThreadPoolSpawn(10);
        }

        var ours = new List<double>();
        var bytes = new List<double>();
        var floors = new List<double>();
        var twoTasks = new List<double>();
        var dotnetBuilders = new List<double>();
        var dotnetBytes = new List<double>();
        var threadPool = new List<double>();
        var spawnOurs = new List<double>();
        var spawnDotnet = new List<double>();
        for (int i = 0; i < Math.Max(context.Repetitions, 3); i++)
        {
            (double ns, double allocated) = KernelTaskBenchmarks.YieldRoundTrip(Batches, Batch);
            ours.Add(ns);
            bytes.Add(allocated);
            floors.Add(AwaitFloor.YieldThroughBareContext(Batches, Batch));
            twoTasks.Add(KernelTaskBenchmarks.YieldRoundTripTwoTasks(Batches, Batch));
            (ns, allocated) = DotnetTaskBenchmarks.YieldRoundTrip(Batches, Batch);
            dotnetBuilders.Add(ns);
            dotnetBytes.Add(allocated);
            threadPool.Add(ThreadPoolRoundTrip(Batches));
            spawnOurs.Add(KernelTaskBenchmarks.SpawnToCompletion(SpawnBatches, SpawnBatch));
            spawnDotnet.Add(ThreadPoolSpawn(SpawnBatches));
        }

        double our = BenchmarkContext.Median(ours);
        double peer = BenchmarkContext.Median(threadPool);
        yield return new BenchmarkResult(
            $"host: await round trip (Task.Yield) through the executor and the kernel's Task/builders (fastest {Batch:N0}-await batch, median of {ours.Count})",
            $"{our:F1} ns",
            ".NET Task.Yield on the thread pool (goal: 0.1x)",
            $"{peer:F1} ns",
            $"{our / peer:F3}x");
        double floor = BenchmarkContext.Median(floors);
        yield return new BenchmarkResult(
            "host: the same round trip through the executor, beside its floor (the kernel's builders and Task.Yield under a context that resumes the box in place with no checks, no executor)",
            $"{our:F1} ns",
            "floor: builders + Task.Yield, no executor",
            $"{floor:F1} ns",
            $"executor adds {our - floor:F1} ns ({our / floor:F2}x)");
        double two = BenchmarkContext.Median(twoTasks);
        yield return new BenchmarkResult(
            "host: the same round trip with two tasks yielding in turn (each await through the run queue: no direct resume)",
            $"{two:F1} ns",
            ".NET Task.Yield on the thread pool",
            $"{peer:F1} ns",
            $"{two / peer:F3}x");
        yield return new BenchmarkResult(
            "host: bytes allocated per steady-state await through the executor and the kernel's Task/builders",
            $"{BenchmarkContext.Median(bytes):F2} B",
            "goal",
            "0 B",
            BenchmarkContext.Median(bytes) == 0 ? "met" : "missed");
        double mixed = BenchmarkContext.Median(dotnetBuilders);
        yield return new BenchmarkResult(
            $"host: the same round trip through the executor under .NET's builders and Task.Yield (what host tests run; {BenchmarkContext.Median(dotnetBytes):F2} B per await)",
            $"{mixed:F1} ns",
            ".NET Task.Yield on the thread pool",
            $"{peer:F1} ns",
            $"{mixed / peer:F3}x");
        double spawn = BenchmarkContext.Median(spawnOurs);
        double spawnPeer = BenchmarkContext.Median(spawnDotnet);
        yield return new BenchmarkResult(
            $"host: spawn -> completion of a task that yields once, executor and kernel's Task (fastest batch of {SpawnBatch})",
            $"{spawn:F0} ns",
            ".NET Task.Run of the same async lambda",
            $"{spawnPeer:F0} ns",
            $"{spawn / spawnPeer:F3}x");

    }

    // The peer: the standard `await Task.Yield()` loop on a thread-pool thread, timed like ours.
    private static double ThreadPoolRoundTrip(int batches)
    {
        return Task.Run(async () =>
        {
            for (int i = 0; i < 1000; i++)
                await Task.Yield();
            double best = double.MaxValue;
            for (int batch = 0; batch < batches; batch++)
            {
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < Batch; i++)
                    await Task.Yield();
                best = Math.Min(best, (Stopwatch.GetTimestamp() - start) * 1e9 / Stopwatch.Frequency / Batch);
            }

            return best;
        }).GetAwaiter().GetResult();
    }

    // Task.Run of an async lambda that yields once, in batches, waited for together; the fastest batch per task.
    private static double ThreadPoolSpawn(int batches)
    {
        var tasks = new Task[SpawnBatch];
        double best = double.MaxValue;
        for (int batch = 0; batch < batches; batch++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int j = 0; j < tasks.Length; j++)
                tasks[j] = Task.Run(static async () => await Task.Yield());
            Task.WaitAll(tasks);
            best = Math.Min(best, (Stopwatch.GetTimestamp() - start) * 1e9 / Stopwatch.Frequency / SpawnBatch);
        }

        return best;
    }
}
