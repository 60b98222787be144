// Physical frames and page mapping, on the host over captured OVMF memory
// maps (tests/Host.Tests/Memory/MemoryMaps) with the kernel's own code
// (Shared/Memory/PhysicalFrameAllocator.cs, PageTableMapper.cs).
//
// Frame allocation: one allocate + free pair of this project's allocator
// (a free stack indexed by frame) against the blog's BootInfoFrameAllocator,
// which walks the usable regions frame by frame to the n-th usable frame on
// every call (and never frees). The walk costs grow with n, so it is measured
// with half of memory already handed out: what a long-running kernel would
// see. At 512 MiB (pc) and 8 GiB (q35).
//
// Mapping: 4 KiB map + unmap pairs per second through PageTableMapper on a
// host pool of table frames (tables created and freed each time), against a
// translate of the same page: the walk alone, the floor of any mapping call.
using System.Diagnostics;
using System.Runtime.InteropServices;
using Host.Tests.Memory;
using Shared.Boot;
using Shared.Memory;

namespace Bench;

public sealed unsafe class PagingBenchmarks : IBenchmark
{
    public string Name => "paging";

    public IEnumerable<BenchmarkResult> Run(BenchmarkContext context)
    {
        foreach ((string machine, string label) in new[] { ("pc-512M", "512 MiB"), ("q35-8G", "8 GiB") })
        {
            MemoryRegion[] map = CapturedMemoryMap.Load(machine);
            double ours = BenchmarkContext.Median(Enumerable.Range(0, 5).Select(_ => TimeAllocateFree(map)));
            double blog = BenchmarkContext.Median(Enumerable.Range(0, 5).Select(_ => TimeBlogAllocate(map)));
            yield return new BenchmarkResult(
                $"frame allocate + free, {label} ({machine} map, host, median of 5)",
                $"{ours:F1} ns",
                "the blog's walk to the n-th usable frame (allocate only), half of memory in use",
                $"{blog / 1000:F1} us",
                $"{blog / ours:F0}x faster");
        }

        foreach (bool keepTables in new[] { true, false })
        {
            (double mapUnmap, double translate) = TimeMapping(keepTables);
            yield return new BenchmarkResult(
                $"4 KiB map + unmap, {(keepTables ? "page tables present" : "PD and PT created and freed each time")} (host, median of 5)",
                $"{1e3 / mapUnmap:F1} M pairs/s ({mapUnmap:F0} ns)",
                "translate of the same page (the walk alone)",
                $"{translate:F0} ns",
                $"{mapUnmap / translate:F1}x a walk");
        }
    }

    // ns per allocate + free pair, with the allocator half full.
    private static double TimeAllocateFree(MemoryRegion[] map)
    {
        ulong bytes = PhysicalFrameAllocator.MetadataBytes(PhysicalFrameAllocator.FrameLimitFor(map));
        Assert(PhysicalFrameAllocator.TryPlaceMetadata(map, bytes, out PhysicalAddress at));
        void* metadata = NativeMemory.Alloc((nuint)bytes);
        var allocator = new PhysicalFrameAllocator();
        allocator.Initialize(map, metadata, at);
        ulong half = allocator.FreeFrames / 2;
        for (ulong i = 0; i < half; i++)
            allocator.TryAllocate(out _);

        const int Operations = 2_000_000;
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < Operations; i++)
        {
            allocator.TryAllocate(out PhysicalFrame<Size4KiB> frame);
            allocator.Free(frame);
        }

        double ns = watch.Elapsed.TotalMilliseconds * 1e6 / Operations;
        NativeMemory.Free(metadata);
        return ns;
    }

    // ns per allocation of the blog's allocator, next = half of the usable frames.
    private static double TimeBlogAllocate(MemoryRegion[] map)
    {
        var blog = new BlogFrameAllocator(map);
        blog.Next = blog.CountUsable() / 2;
        const int Operations = 200;
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < Operations; i++)
            blog.Allocate();
        return watch.Elapsed.TotalMilliseconds * 1e6 / Operations;
    }

    // The blog's BootInfoFrameAllocator: usable regions -> address ranges -> every 4096th address -> nth(next).
    private sealed class BlogFrameAllocator
    {
        private readonly MemoryRegion[] _map;

        public BlogFrameAllocator(MemoryRegion[] map) => _map = map;

        public ulong Next { get; set; }

        public ulong CountUsable()
        {
            ulong count = 0;
            foreach (MemoryRegion region in _map)
            {
                if (region.Kind == MemoryRegionKind.Usable)
                    count += region.Length / 4096;
            }

            return count;
        }

        public ulong Allocate()
        {
            ulong n = 0;
            foreach (MemoryRegion region in _map)
            {
                if (region.Kind != MemoryRegionKind.Usable)
                    continue;
                for (ulong address = region.Start; address < region.End; address += 4096)
                {
                    if (n++ == Next)
                    {
                        Next++;
                        return address;
                    }
                }
            }

            return ulong.MaxValue;
        }
    }

    private static (double MapUnmap, double Translate) TimeMapping(bool keepTables)
    {
        var pool = new TablePool(64);
        Assert(PageTableMapper<TablePool>.TryCreate(pool, out PageTableMapper<TablePool> mapper));
        var page = Page<Size4KiB>.FromStart(new VirtualAddress(0xFFFF_D000_0000_0000));
        var frame = PhysicalFrame<Size4KiB>.FromStart(new PhysicalAddress(0x10_0000));

        // A neighbour keeps the PD and PT alive for the steady-state figure (a heap growing page by page);
        // without it every unmap frees both and the next map recreates (and zeroes) them.
        if (keepTables)
            Assert(mapper.Map(page.Add(1), frame, PageTableFlags.Writable) == MapResult.Success);
        var mapUnmap = new List<double>();
        var translate = new List<double>();
        const int Operations = 1_000_000;
        for (int r = 0; r < 5; r++)
        {
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < Operations; i++)
            {
                mapper.Map(page, frame, PageTableFlags.Writable | PageTableFlags.NoExecute);
                mapper.Unmap(page, out _);
            }

            mapUnmap.Add(watch.Elapsed.TotalMilliseconds * 1e6 / Operations);
            mapper.Map(page, frame, PageTableFlags.Writable);
            watch.Restart();
            ulong sum = 0;
            for (int i = 0; i < Operations; i++)
            {
                mapper.TryTranslate(page.Start + (ulong)(i & 0xFF8), out Translation t);
                sum += t.Physical.Value;
            }

            translate.Add(watch.Elapsed.TotalMilliseconds * 1e6 / Operations);
            mapper.Unmap(page, out _);
            GC.KeepAlive(sum);
        }

        pool.Dispose();
        return (BenchmarkContext.Median(mapUnmap), BenchmarkContext.Median(translate));
    }

    private static void Assert(bool condition)
    {
        if (!condition)
            throw new InvalidOperationException("paging benchmark setup failed");
    }

    // Table frames from native memory, reused through a free list (as the kernel's frame allocator would).
    private sealed class TablePool : IPageTableMemory, IDisposable
    {
        private readonly byte* _base;
        private readonly Stack<ulong> _free = new();

        public TablePool(int frames)
        {
            _base = (byte*)NativeMemory.AlignedAlloc((nuint)(frames * 4096), 4096);
            for (int i = frames - 1; i >= 0; i--)
                _free.Push((ulong)i * 4096);
        }

        public bool TryAllocateTable(out PhysicalAddress table)
        {
            table = default;
            if (!_free.TryPop(out ulong frame))
                return false;
            NativeMemory.Clear(_base + frame, 4096);
            table = new PhysicalAddress(frame);
            return true;
        }

        public ulong* TableEntries(PhysicalAddress table) => (ulong*)(_base + table.Value);

        public void FreeTable(PhysicalAddress table) => _free.Push(table.Value);

        public void Dispose() => NativeMemory.AlignedFree(_base);
    }
}
