// The loader's share of a boot, and the cost of the page tables it builds.
//
// Boot: the time from QEMU's launch to the loader's first line is firmware;
// from there to the kernel's first line is the loader (reading the config,
// copying the kernel, setting the display mode, building page tables, exiting
// boot services). Both are measured in the same boots, from when each line
// appears on serial (polled every 50 ms).
//
// Page tables: the physical-memory window built with 2 MiB pages (what QEMU's
// default CPU allows) against 1 GiB pages (what most real CPUs allow), with
// Shared/Boot/KernelAddressSpace.cs itself, on frames from a host pool.
using System.Diagnostics;
using System.Runtime.InteropServices;
using Boot.Tests.Harness;
using Shared.Boot;
using Shared.Memory;

namespace Bench;

public sealed class LoaderBenchmarks : IBenchmark
{
    public string Name => "loader";

    public IEnumerable<BenchmarkResult> Run(BenchmarkContext context)
    {
        var firmware = new List<double>();
        var loader = new List<double>();
        for (int i = 0; i < context.Repetitions; i++)
        {
            (double toLoader, double toKernel) = TimeLoader("bench-loader-" + i);
            firmware.Add(toLoader);
            loader.Add(toKernel - toLoader);
        }

        double loaderSeconds = BenchmarkContext.Median(loader);
        double firmwareSeconds = BenchmarkContext.Median(firmware);
        yield return new BenchmarkResult(
            $"loader: first line -> kernel's first line ({QemuRun.Accelerator}, median of {context.Repetitions}, 50 ms polling)",
            $"{loaderSeconds * 1000:F0} ms",
            "firmware: QEMU launch -> loader's first line",
            $"{firmwareSeconds * 1000:F0} ms",
            $"loader is {loaderSeconds / (loaderSeconds + firmwareSeconds) * 100:F0} % of the time to the kernel");

        foreach (ulong gigabytes in new ulong[] { 8, 64 })
        {
            (double small, int smallTables) = TimeWindow(gigabytes << 30, PageSize.Size2MiB);
            (double large, int largeTables) = TimeWindow(gigabytes << 30, PageSize.Size1GiB);
            yield return new BenchmarkResult(
                $"physical window {gigabytes} GiB, 2 MiB pages (host, median of 25)",
                $"{small:F0} us, {smallTables} tables",
                "the same window in 1 GiB pages",
                $"{large:F1} us, {largeTables} tables",
                $"{small / large:F0}x the time, {smallTables - largeTables} more tables ({(smallTables - largeTables) * 4} KiB)");
        }
    }

    private static (double ToLoader, double ToKernel) TimeLoader(string name)
    {
        var watch = Stopwatch.StartNew();
        QemuRun run = QemuRun.Start(new BootOptions { Name = name, Esp = Repository.ReleaseEsp, Timeout = TimeSpan.FromSeconds(120) });
        try
        {
            run.WaitForSerialAsync("^loader: ").GetAwaiter().GetResult();
            double toLoader = watch.Elapsed.TotalSeconds;
            run.WaitForSerialAsync(@"^\[boot\] ").GetAwaiter().GetResult();
            return (toLoader, watch.Elapsed.TotalSeconds);
        }
        finally
        {
            run.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static (double Microseconds, int Tables) TimeWindow(ulong size, PageSize pageSize)
    {
        var times = new List<double>();
        int tables = 0;
        for (int i = 0; i < 25; i++)
        {
            using var pool = new FramePool(1024);
            var watch = Stopwatch.StartNew();
            if (!KernelAddressSpace<FramePool.Tables>.TryCreate(pool.Memory, out var space) || space.MapPhysicalWindow(size, pageSize) != MapResult.Success)
                throw new InvalidOperationException("building the window failed");
            times.Add(watch.Elapsed.TotalMilliseconds * 1000);
            tables = pool.Used;
        }

        return (BenchmarkContext.Median(times), tables);
    }

    // Zeroed 4 KiB frames from one native block; "physical" addresses are offsets into it.
    private sealed unsafe class FramePool : IDisposable
    {
        private readonly byte* _base;
        private readonly int _capacity;
        private int _used;

        public FramePool(int frames)
        {
            _capacity = frames;
            _base = (byte*)NativeMemory.AlignedAlloc((nuint)frames * 4096, 4096);
        }

        public int Used => _used;

        public Tables Memory => new(this);

        public void Dispose() => NativeMemory.AlignedFree(_base);

        public readonly struct Tables : IPageTableMemory
        {
            private readonly FramePool _pool;

            public Tables(FramePool pool) => _pool = pool;

            public bool TryAllocateTable(out PhysicalAddress table)
            {
                table = default;
                if (_pool._used == _pool._capacity)
                    return false;
                table = new PhysicalAddress((ulong)_pool._used++ * 4096);
                NativeMemory.Clear(_pool._base + table.Value, 4096);
                return true;
            }

            public ulong* TableEntries(PhysicalAddress table) => (ulong*)(_pool._base + table.Value);

            public void FreeTable(PhysicalAddress table)
            {
            }
        }
    }
}
