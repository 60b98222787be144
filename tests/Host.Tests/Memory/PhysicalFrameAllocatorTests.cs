using System.Runtime.InteropServices;
using Shared.Boot;
using Shared.Memory;
using Xunit;

namespace Host.Tests.Memory;

// The frame allocator over captured OVMF memory maps (q35 and pc, under and
// over 4 GiB): every usable frame handed out once and only once, never a
// reserved one; boot memory after reclaiming; double frees and foreign frames
// refused; aligned runs; and a million seeded random steps against a model.
public sealed unsafe class PhysicalFrameAllocatorTests
{
    public static TheoryData<string> Machines => new(CapturedMemoryMap.Machines);

    // An allocator over a map, with its metadata in native memory (the kernel puts it in the map itself).
    private sealed class Fixture : IDisposable
    {
        public readonly MemoryRegion[] Map;
        public readonly PhysicalAddress MetadataStart;
        public readonly ulong MetadataBytes;
        private readonly void* _metadata;
        private readonly PhysicalFrameAllocator* _allocator;

        public Fixture(MemoryRegion[] map)
        {
            Map = map;
            MetadataBytes = PhysicalFrameAllocator.MetadataBytes(PhysicalFrameAllocator.FrameLimitFor(map));
            Assert.True(PhysicalFrameAllocator.TryPlaceMetadata(map, MetadataBytes, out MetadataStart));
            _metadata = NativeMemory.Alloc((nuint)MetadataBytes);
            _allocator = (PhysicalFrameAllocator*)NativeMemory.AllocZeroed((nuint)sizeof(PhysicalFrameAllocator));
            _allocator->Initialize(map, _metadata, MetadataStart);
        }

        public ref PhysicalFrameAllocator Allocator => ref *_allocator;

        public MemoryRegionKind KindOf(ulong address)
            => Map.FirstOrDefault(r => address >= r.Start && address < r.End).Kind;

        public bool IsMetadata(ulong address) => address >= MetadataStart.Value && address < MetadataStart.Value + MetadataBytes;

        public void Dispose()
        {
            NativeMemory.Free(_metadata);
            NativeMemory.Free(_allocator);
        }
    }

    [Theory]
    [MemberData(nameof(Machines))]
    public void AllocateEverything_HandsOutEachUsableFrameOnce_ThenBootMemoryAfterReclaiming(string machine)
    {
        using var f = new Fixture(CapturedMemoryMap.Load(machine));
        ulong usable = CapturedMemoryMap.FramesOf(f.Map, MemoryRegionKind.Usable);
        ulong boot = CapturedMemoryMap.FramesOf(f.Map, MemoryRegionKind.BootReclaimable);

        // Frame 0 is never handed out, whatever the map calls it (OVMF: boot-services code).
        ulong usableManaged = usable - f.MetadataBytes / 4096 - (f.KindOf(0) == MemoryRegionKind.Usable ? 1UL : 0);
        ulong bootManaged = boot - (f.KindOf(0) == MemoryRegionKind.BootReclaimable ? 1UL : 0);
        FrameCounts counts = f.Allocator.Counts;
        Assert.Equal(usable, f.Allocator.FramesOfKind(MemoryRegionKind.Usable));
        Assert.Equal(bootManaged, counts.BootHeld);
        Assert.Equal(counts.Managed, counts.Free + counts.Used);
        ulong ram = f.Map.Where(r => PhysicalFrameAllocator.IsRam(r.Kind)).Aggregate(0UL, (s, r) => s + CapturedMemoryMap.FramesIn(r));
        Assert.Equal(ram, counts.Managed + counts.Reserved);

        var seen = new HashSet<ulong>();
        ulong previous = 0;
        bool ascending = true;
        while (f.Allocator.TryAllocate(out PhysicalFrame<Size4KiB> frame))
        {
            ulong a = frame.Start.Value;
            Assert.True(seen.Add(a), $"{machine}: frame 0x{a:X} handed out twice");
            Assert.Equal(MemoryRegionKind.Usable, f.KindOf(a));
            Assert.False(f.IsMetadata(a), "the metadata's own frames are never handed out");
            Assert.NotEqual(0UL, a);
            ascending &= a > previous;
            previous = a;
        }

        Assert.True(ascending, "lowest frames first");
        Assert.Equal(usableManaged, (ulong)seen.Count);
        Assert.Equal(0UL, f.Allocator.FreeFrames);

        ulong reclaimed = f.Allocator.ReclaimBootMemory(f.Map, ReadOnlySpan<MemoryRegion>.Empty);
        Assert.Equal(bootManaged, reclaimed);
        Assert.Equal(0UL, f.Allocator.ReclaimBootMemory(f.Map, ReadOnlySpan<MemoryRegion>.Empty));
        while (f.Allocator.TryAllocate(out PhysicalFrame<Size4KiB> frame))
        {
            Assert.True(seen.Add(frame.Start.Value), "reclaimed frame handed out twice");
            Assert.Equal(MemoryRegionKind.BootReclaimable, f.KindOf(frame.Start.Value));
        }

        Assert.Equal(usableManaged + bootManaged, (ulong)seen.Count);

        // Free and reuse: everything comes back, and is handed out again.
        foreach (ulong a in seen)
            Assert.Equal(FrameFreeResult.Success, f.Allocator.Free(PhysicalFrame<Size4KiB>.FromStart(new PhysicalAddress(a))));
        Assert.Equal((ulong)seen.Count, f.Allocator.FreeFrames);
        Assert.True(f.Allocator.TryAllocate(out PhysicalFrame<Size4KiB> again));
        Assert.Contains(again.Start.Value, seen);
    }

    [Theory]
    [MemberData(nameof(Machines))]
    public void DoubleFree_AndForeignFrames_AreRefused(string machine)
    {
        using var f = new Fixture(CapturedMemoryMap.Load(machine));
        Assert.True(f.Allocator.TryAllocate(out PhysicalFrame<Size4KiB> frame));
        Assert.Equal(FrameFreeResult.Success, f.Allocator.Free(frame));
        ulong free = f.Allocator.FreeFrames;
        Assert.Equal(FrameFreeResult.DoubleFree, f.Allocator.Free(frame));
        Assert.Equal(free, f.Allocator.FreeFrames);

        MemoryRegion reserved = f.Map.First(r => !PhysicalFrameAllocator.IsManaged(r.Kind) && CapturedMemoryMap.FramesIn(r) > 0);
        Assert.Equal(FrameFreeResult.NotManaged, f.Allocator.Free(PhysicalFrame<Size4KiB>.Containing(new PhysicalAddress((reserved.Start + 4095) & ~4095UL))));
        Assert.Equal(FrameFreeResult.NotManaged, f.Allocator.Free(PhysicalFrame<Size4KiB>.FromStart(PhysicalAddress.Zero)));
        Assert.Equal(FrameFreeResult.NotManaged, f.Allocator.Free(PhysicalFrame<Size4KiB>.FromStart(f.MetadataStart)));
        Assert.Equal(FrameFreeResult.NotManaged, f.Allocator.Free(PhysicalFrame<Size4KiB>.FromStart(new PhysicalAddress(f.Allocator.FrameLimit * 4096))));

        // Boot memory is managed, but in use until reclaimed.
        MemoryRegion boot = f.Map.First(r => r.Kind == MemoryRegionKind.BootReclaimable && r.Start > 0 && CapturedMemoryMap.FramesIn(r) > 0);
        var bootFrame = PhysicalFrame<Size4KiB>.FromStart(new PhysicalAddress((boot.Start + 4095) & ~4095UL));
        Assert.False(f.Allocator.IsFree(bootFrame));
        Assert.True(f.Allocator.IsManagedFrame(bootFrame));
        Assert.Equal(FrameFreeResult.Success, f.Allocator.Free(bootFrame));
        Assert.Equal(FrameFreeResult.DoubleFree, f.Allocator.Free(bootFrame));
    }

    [Theory]
    [MemberData(nameof(Machines))]
    public void ContiguousRuns_AreAligned_AndNeverOverlapSingleFrames(string machine)
    {
        using var f = new Fixture(CapturedMemoryMap.Load(machine));
        Assert.True(f.Allocator.TryAllocateContiguous(512, Size2MiB.Bytes, out PhysicalFrameRange<Size4KiB> run));
        Assert.True(run.Start.Start.IsAligned(Size2MiB.Bytes));
        for (ulong i = 0; i < run.Count; i++)
        {
            Assert.Equal(MemoryRegionKind.Usable, f.KindOf(run[i].Start.Value));
            Assert.False(f.Allocator.IsFree(run[i]));
        }

        Assert.True(f.Allocator.TryAllocateContiguous(3, 0x1_0000, out PhysicalFrameRange<Size4KiB> small));
        Assert.True(small.Start.Start.IsAligned(0x1_0000));
        var taken = new HashSet<ulong>();
        while (f.Allocator.TryAllocate(out PhysicalFrame<Size4KiB> frame))
        {
            taken.Add(frame.Start.Value);
            Assert.False(run.Contains(frame.Start) || small.Contains(frame.Start), "a frame of a run was handed out again");
        }

        Assert.False(f.Allocator.TryAllocateContiguous(1, 4096, out _));
        for (ulong i = 0; i < run.Count; i++)
            Assert.Equal(FrameFreeResult.Success, f.Allocator.Free(run[i]));
        Assert.True(f.Allocator.TryAllocateContiguous(512, Size2MiB.Bytes, out PhysicalFrameRange<Size4KiB> again));
        Assert.Equal(run.Start, again.Start);
        Assert.False(f.Allocator.TryAllocateContiguous(0, 4096, out _));
        Assert.False(f.Allocator.TryAllocateContiguous(1, 3000, out _));
    }

    [Fact]
    public void MetadataIsFrameRounded_AndPlacedInUsableMemoryAboveFrameZero()
    {
        MemoryRegion[] map = { new() { Start = 0, Length = 0x9_F000, Kind = MemoryRegionKind.Usable } };
        ulong bytes = PhysicalFrameAllocator.MetadataBytes(PhysicalFrameAllocator.FrameLimitFor(map));
        Assert.Equal(0UL, bytes % 4096);
        Assert.True(bytes >= (159 * 8) + 20);
        Assert.True(PhysicalFrameAllocator.TryPlaceMetadata(map, bytes, out PhysicalAddress start));
        Assert.Equal(0x1000UL, start.Value);
        Assert.False(PhysicalFrameAllocator.TryPlaceMetadata(map, 1UL << 30, out _));
    }

    [Fact]
    public void MillionSeededRandomSteps_MatchAModel()
    {
        using var f = new Fixture(CapturedMemoryMap.Load("q35-256M"));
        f.Allocator.ReclaimBootMemory(f.Map, ReadOnlySpan<MemoryRegion>.Empty);
        var random = new Random(20261130);
        var allocated = new List<ulong>();
        var allocatedSet = new HashSet<ulong>();
        ulong managed = f.Allocator.Counts.Managed;
        ulong usedAtStart = f.Allocator.Counts.Used; // the loader's page tables (none in a firmware-only map)
        for (int step = 0; step < 1_000_000; step++)
        {
            int choice = random.Next(100);
            if (choice < 50 || allocated.Count == 0)
            {
                bool ok = f.Allocator.TryAllocate(out PhysicalFrame<Size4KiB> frame);
                Assert.Equal(managed - usedAtStart - (ulong)allocated.Count > 0, ok);
                if (ok)
                {
                    Assert.True(allocatedSet.Add(frame.Start.Value), $"step {step}: 0x{frame.Start.Value:X} handed out twice");
                    allocated.Add(frame.Start.Value);
                }
            }
            else if (choice < 97)
            {
                int index = random.Next(allocated.Count);
                ulong a = allocated[index];
                allocated[index] = allocated[^1];
                allocated.RemoveAt(allocated.Count - 1);
                allocatedSet.Remove(a);
                Assert.Equal(FrameFreeResult.Success, f.Allocator.Free(PhysicalFrame<Size4KiB>.FromStart(new PhysicalAddress(a))));
                if (choice == 96)
                    Assert.Equal(FrameFreeResult.DoubleFree, f.Allocator.Free(PhysicalFrame<Size4KiB>.FromStart(new PhysicalAddress(a))));
            }
            else
            {
                ulong count = (ulong)random.Next(1, 33);
                ulong alignment = 4096UL << random.Next(0, 10);
                if (f.Allocator.TryAllocateContiguous(count, alignment, out PhysicalFrameRange<Size4KiB> run))
                {
                    Assert.True(run.Start.Start.IsAligned(alignment));
                    for (ulong i = 0; i < count; i++)
                    {
                        Assert.True(allocatedSet.Add(run[i].Start.Value), $"step {step}: run frame handed out twice");
                        allocated.Add(run[i].Start.Value);
                    }
                }
            }

            if (step % 50_000 == 0)
            {
                FrameCounts counts = f.Allocator.Counts;
                Assert.Equal((ulong)allocated.Count + usedAtStart, counts.Used);
                Assert.Equal(managed, counts.Free + counts.Used);
            }
        }

        foreach (ulong a in allocated)
            Assert.Equal(FrameFreeResult.Success, f.Allocator.Free(PhysicalFrame<Size4KiB>.FromStart(new PhysicalAddress(a))));
        Assert.Equal(managed - usedAtStart, f.Allocator.FreeFrames);
    }
}
