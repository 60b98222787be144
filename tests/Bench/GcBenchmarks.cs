// The garbage collector's speed.
//
// - Host: one full collection (mark and sweep) of Shared/Gc's collector over
//   1,000,000 live 32-byte objects (each refers to the next and to a random
//   earlier one: about 32 MiB live), beside .NET's own
//   GC.Collect(2, GCCollectionMode.Forced, blocking: true) over the same
//   graph of .NET objects in the same process.
// - Kernel (QEMU TCG, so only the ratios mean much): the pause per MiB of
//   live heap, and the cost of allocating with collections beside a bare
//   bump allocation of the same objects (GcTests.Bench_PauseAndAllocation
//   prints "[bench]" lines).
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Boot.Tests.Harness;
using Shared.Gc;

namespace Bench;

public sealed unsafe class GcBenchmarks : IBenchmark
{
    private const int Objects = 1_000_000;

    public string Name => "gc";

    private sealed class DotNetNode
    {
        public DotNetNode Next;
        public DotNetNode Other;
    }

    private readonly struct NoFree : IObjectHeap
    {
        public void FreeObjectBlocks(void** blocks, nuint* sizes, int count)
        {
        }
    }

    public IEnumerable<BenchmarkResult> Run(BenchmarkContext context)
    {
        // One unmeasured round of each first (the JIT's tiers settle; the kernel runs this code compiled ahead
        // of time), then the two alternate, so that a change in the machine's load hits both alike.
        int repetitions = Math.Max(9, context.Repetitions);
        OurCollection();
        DotNetCollection();
        var oursTimes = new List<double>();
        var dotnetTimes = new List<double>();
        for (int i = 0; i < repetitions; i++)
        {
            oursTimes.Add(OurCollection());
            dotnetTimes.Add(DotNetCollection());
        }

        double ours = BenchmarkContext.Median(oursTimes);
        double dotnet = BenchmarkContext.Median(dotnetTimes);
        double ratio = BenchmarkContext.Median(oursTimes.Zip(dotnetTimes, (o, d) => o / d)); // pairs share the load
        yield return new BenchmarkResult(
            $"mark + sweep of {Objects:N0} live 32-byte objects (host, median of {repetitions})",
            $"{ours:F1} ms",
            ".NET GC.Collect(2, Forced, blocking) over the same graph",
            $"{dotnet:F1} ms",
            $"{ratio:F2}x (median of the {repetitions} pairs' ratios)");

        // GC_BENCH_HOST_ONLY=1: only the host row (while tuning the collector; no kernel image needed).
        if (Environment.GetEnvironmentVariable("GC_BENCH_HOST_ONLY") == "1")
            yield break;
        foreach (BenchmarkResult row in KernelRows())
            yield return row;
    }

    private static double OurCollection()
    {
        nuint size = (nuint)Objects * 32 + (1 << 20);
        byte* arena = (byte*)NativeMemory.AlignedAlloc(size, 1 << 20);
        byte* mtBlock = (byte*)NativeMemory.AllocZeroed(64);
        byte* mt = mtBlock + 32;
        *(uint*)mt = ObjectLayout.ContainsReferencesFlag;
        *(uint*)(mt + 4) = 32;
        *(nint*)(mt - 8) = 1;
        *(nint*)(mt - 16) = 8;
        *(nint*)(mt - 24) = 16 - 32;
        var collector = (MarkSweepCollector*)NativeMemory.AllocZeroed((nuint)sizeof(MarkSweepCollector));
        void* directory = NativeMemory.AllocZeroed(ObjectStartTable.DirectoryBytes(size));
        collector->Objects.Initialize((nuint)arena, size, directory, &Chunk);
        const int StackSlots = 16 * 1024;
        nuint* stack = (nuint*)NativeMemory.Alloc(StackSlots * 8);
        collector->InitializeMarkStack(stack, StackSlots);
        try
        {
            var random = new Random(1);
            nuint previous = 0;
            for (int i = 0; i < Objects; i++)
            {
                nuint obj = (nuint)(arena + (32 * i) + 8);
                *(ulong*)(obj - 8) = 0;
                *(byte**)obj = mt;
                *(nuint*)(obj + 8) = previous;
                *(nuint*)(obj + 16) = i == 0 ? 0 : (nuint)(arena + (32 * random.Next(i)) + 8);
                collector->Objects.TryRecord(obj);
                previous = obj;
            }

            var watch = Stopwatch.StartNew();
            collector->BeginMark();
            collector->MarkReference(previous);
            collector->FinishMark();
            var heap = new NoFree();
            collector->Sweep(ref heap);
            watch.Stop();
            if (collector->Counts.MarkedObjects != Objects)
                throw new InvalidOperationException("the benchmark graph was not fully marked");
            return watch.Elapsed.TotalMilliseconds;
        }
        finally
        {
            NativeMemory.AlignedFree(arena);
            NativeMemory.Free(mtBlock);
            NativeMemory.Free(stack);
            NativeMemory.Free(collector);
        }
    }

    // The start table's chunks in this benchmark are few (32); they are leaked with the process.
    private static void* Chunk(nuint size) => NativeMemory.AllocZeroed(size);

    private static double DotNetCollection()
    {
        var random = new Random(1);
        var nodes = new DotNetNode[Objects];
        DotNetNode previous = null;
        for (int i = 0; i < Objects; i++)
        {
            var node = new DotNetNode { Next = previous, Other = i == 0 ? null : nodes[random.Next(i)] };
            nodes[i] = node;
            previous = node;
        }

        nodes = null;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        var watch = Stopwatch.StartNew();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        watch.Stop();
        GC.KeepAlive(previous);
        return watch.Elapsed.TotalMilliseconds;
    }

    private static IEnumerable<BenchmarkResult> KernelRows()
    {
        const string Test = "GcTests.Bench_PauseAndAllocation";
        KernelTestRunResult result = KernelTestRun.RunAsync("bench-gc", "ktest.test=" + Test, TimeSpan.FromSeconds(300), new[] { Test })
            .GetAwaiter().GetResult();
        if (result.Outcomes[Test].Status != KernelTestStatus.Passed)
            throw new InvalidOperationException($"{Test} did not pass: {result.Outcomes[Test].Message}\n{result.Tail()}");
        double Value(string key)
        {
            Match line = Regex.Match(result.Serial, @"^\[bench\] " + key + @" (\d+)", RegexOptions.Multiline);
            if (!line.Success)
                throw new InvalidOperationException($"the kernel printed no '[bench] {key}' line");
            return double.Parse(line.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        double pauseUsPerMiB = Value("gc-pause-us-per-mib");
        double liveMiB = Value("gc-live-kib") / 1024;
        double collectingNs = Value("gc-alloc-ns-collecting");
        double bumpNs = Value("gc-alloc-ns-bump");
        double collections = Value("gc-alloc-collections");
        double pauseNsPerObject = Value("gc-alloc-pause-ns-per-object");
        yield return new BenchmarkResult(
            $"kernel collection pause per MiB live ({liveMiB:F1} MiB live, TCG)",
            $"{pauseUsPerMiB / 1000:F2} ms/MiB",
            "the host collector's pause per MiB above (native)",
            "see row above",
            "-");
        yield return new BenchmarkResult(
            $"kernel allocation of a 32-byte object, collections included (TCG; {collections:F0} collections, {pauseNsPerObject:F0} ns of pause per object)",
            $"{collectingNs:F0} ns",
            "bump allocation of the same objects (pointer increment + zeroing)",
            $"{bumpNs:F0} ns",
            $"{collectingNs / bumpNs:F1}x");
    }
}
