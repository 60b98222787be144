// The async machinery's costs, each beside a peer measured in the same run:
// - host: an await round trip (suspend, post to the task, resume) through
//   Shared/Tasks' executor, beside .NET's Task.Yield on the thread pool, and
//   the bytes allocated per steady-state await;
// - host: spawn-to-completion of a task that yields once, beside Task.Run;
// - kernel: keyboard IRQ to the awaiting task running, in TSC cycles
//   (Kernel/Tests/AsyncTests.cs, KeyStream_InterruptToTaskLatency_Measured),
//   beside the bare interrupt round trip (ExceptionTests);
// - boot: QEMU launch to the shell prompt, beside the floor EFI app's line.
// On the host the executor runs .NET's own builders and Task (the kernel's
// runtime library is not loadable there): the figure is the executor's.
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Boot.Tests.Harness;
using Shared.Tasks;

namespace Bench;

public sealed class AsyncBenchmarks : IBenchmark
{
    private const int RoundTrips = 200_000;
    private const int Spawns = 50_000;
    private const int Batch = 1000;
    private const string LatencyTest = "AsyncTests.KeyStream_InterruptToTaskLatency_Measured";
    private const string InterruptTest = "ExceptionTests.InterruptRoundTrip_CostIsMeasured";

    public string Name => "async";

    private sealed class HostPlatform : IExecutorPlatform
    {
        public ulong Timestamp => (ulong)Stopwatch.GetTimestamp();

        public ulong TimestampFrequency => (ulong)Stopwatch.Frequency;

        public void WaitForWork(Executor executor) => Thread.Yield();

        public void BeforePoll()
        {
        }
    }

    public IEnumerable<BenchmarkResult> Run(BenchmarkContext context)
    {
        var ours = new List<double>();
        var dotnet = new List<double>();
        var bytes = new List<double>();
        var spawnOurs = new List<double>();
        var spawnDotnet = new List<double>();
        for (int i = 0; i < context.Repetitions; i++)
        {
            (double ns, double allocated) = ExecutorRoundTrip();
            ours.Add(ns);
            bytes.Add(allocated);
            dotnet.Add(ThreadPoolRoundTrip());
            spawnOurs.Add(ExecutorSpawn());
            spawnDotnet.Add(ThreadPoolSpawn());
        }

        double our = BenchmarkContext.Median(ours);
        double theirs = BenchmarkContext.Median(dotnet);
        yield return new BenchmarkResult(
            $"host: await round trip (Task.Yield) through the executor (fastest 1,000-await batch, median of {context.Repetitions})",
            $"{our:F0} ns",
            ".NET Task.Yield on the thread pool",
            $"{theirs:F0} ns",
            $"{our / theirs:F3}x");
        yield return new BenchmarkResult(
            "host: bytes allocated per steady-state await through the executor",
            $"{BenchmarkContext.Median(bytes):F2} B",
            "goal",
            "0 B",
            BenchmarkContext.Median(bytes) == 0 ? "met" : "missed");
        double spawn = BenchmarkContext.Median(spawnOurs);
        double spawnPeer = BenchmarkContext.Median(spawnDotnet);
        yield return new BenchmarkResult(
            "host: spawn -> completion of a task that yields once, through the executor (fastest batch of 512)",
            $"{spawn:F0} ns",
            ".NET Task.Run of the same async lambda",
            $"{spawnPeer:F0} ns",
            $"{spawn / spawnPeer:F3}x");

        var latencies = new List<double>();
        var interrupts = new List<double>();
        for (int i = 0; i < context.Repetitions; i++)
        {
            latencies.Add(KernelFigure("bench-irq-task-" + i, LatencyTest, "irq-to-task-cycles"));
            interrupts.Add(KernelFigure("bench-irq-trip-" + i, InterruptTest, "interrupt-round-trip-cycles"));
        }

        double latency = BenchmarkContext.Median(latencies);
        double interrupt = BenchmarkContext.Median(interrupts);
        yield return new BenchmarkResult(
            $"kernel: keyboard IRQ -> awaiting task running ({QemuRun.Accelerator}, TSC cycles, median of {context.Repetitions} boots x 31 keys)",
            $"{latency:F0} cycles",
            "interrupt round trip (int n -> C# handler -> iretq)",
            $"{interrupt:F0} cycles",
            $"{latency / Math.Max(interrupt, 1):F1}x");

        var shellTimes = new List<double>();
        var floorTimes = new List<double>();
        string floorEsp = Path.Combine(Repository.Artifacts, "floor", "esp");
        for (int i = 0; i < context.Repetitions; i++)
        {
            floorTimes.Add(TimeToLine(floorEsp, "floor: ready", "bench-async-floor-" + i));
            shellTimes.Add(TimeToLine(Repository.ReleaseEsp, "^tessera> ", "bench-shell-" + i));
        }

        double shell = BenchmarkContext.Median(shellTimes);
        double floor = BenchmarkContext.Median(floorTimes);
        yield return new BenchmarkResult(
            $"QEMU launch -> shell prompt ({QemuRun.Accelerator}, median of {context.Repetitions})",
            $"{shell:F2} s",
            "QEMU launch -> floor app line",
            $"{floor:F2} s",
            $"+{shell - floor:F2} s ({shell / floor:F2}x)");
    }

    // One task awaiting Task.Yield: each await posts to the task and the executor polls it again. The machine
    // is shared, so the figure is the fastest of many short batches (the uncontended cost), for both peers.
    private static (double Nanoseconds, double BytesPerAwait) ExecutorRoundTrip()
    {
        var executor = new Executor(new HostPlatform());
        long bytes = 0;
        double best = double.MaxValue;
        executor.Spawn("bench", async () =>
        {
            for (int i = 0; i < 1000; i++)
                await Task.Yield(); // warm up: the box exists, the continuation queue has its size
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int batch = 0; batch < RoundTrips / Batch; batch++)
            {
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < Batch; i++)
                    await Task.Yield();
                best = Math.Min(best, (Stopwatch.GetTimestamp() - start) * 1e9 / Stopwatch.Frequency / Batch);
            }

            bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        });
        executor.RunUntilIdle();
        return (best, (double)bytes / RoundTrips);
    }

    private static double ThreadPoolRoundTrip()
    {
        return Task.Run(async () =>
        {
            for (int i = 0; i < 1000; i++)
                await Task.Yield();
            double best = double.MaxValue;
            for (int batch = 0; batch < RoundTrips / Batch / 4; batch++)
            {
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < Batch; i++)
                    await Task.Yield();
                best = Math.Min(best, (Stopwatch.GetTimestamp() - start) * 1e9 / Stopwatch.Frequency / Batch);
            }

            return best;
        }).GetAwaiter().GetResult();
    }

    // Spawns in batches of 512, run to completion; the fastest batch's time per task, for both peers.
    private static double ExecutorSpawn()
    {
        var executor = new Executor(new HostPlatform(), 1024);
        double best = double.MaxValue;
        for (int batch = 0; batch < Spawns / 512; batch++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < 512; i++)
                executor.Spawn("t", static async () => await Task.Yield());
            executor.RunUntilIdle();
            best = Math.Min(best, (Stopwatch.GetTimestamp() - start) * 1e9 / Stopwatch.Frequency / 512);
        }

        return best;
    }

    private static double ThreadPoolSpawn()
    {
        var tasks = new Task[512];
        double best = double.MaxValue;
        for (int batch = 0; batch < Spawns / 512; batch++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int j = 0; j < tasks.Length; j++)
                tasks[j] = Task.Run(static async () => await Task.Yield());
            Task.WaitAll(tasks);
            best = Math.Min(best, (Stopwatch.GetTimestamp() - start) * 1e9 / Stopwatch.Frequency / 512);
        }

        return best;
    }

    private static double KernelFigure(string name, string test, string figure)
    {
        KernelTestRunResult result = KernelTestRun.RunAsync(name, "ktest.test=" + test, TimeSpan.FromSeconds(240), new[] { test })
            .GetAwaiter().GetResult();
        if (result.Outcomes[test].Status != KernelTestStatus.Passed)
            throw new InvalidOperationException($"{test} did not pass: {result.Outcomes[test].Message}\n{result.Tail()}");
        Match match = Regex.Match(result.Serial, @"^\[bench\] " + figure + @" (\d+)", RegexOptions.Multiline);
        if (!match.Success)
            throw new InvalidOperationException($"the kernel printed no '[bench] {figure}' line");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static double TimeToLine(string esp, string pattern, string name)
    {
        var watch = Stopwatch.StartNew();
        QemuRun run = QemuRun.Start(new BootOptions { Name = name, Esp = esp, Timeout = TimeSpan.FromSeconds(180) });
        run.WaitForSerialAsync(pattern).GetAwaiter().GetResult();
        double seconds = watch.Elapsed.TotalSeconds;
        run.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return seconds;
    }
}
