// Physical memory for page-table tests: frames are byte arrays allocated on
// demand, pinned, addressed by fake physical addresses.
using System.Runtime.InteropServices;
using Shared.Memory;
using Xunit;

namespace Host.Tests.Memory;

public sealed unsafe class SimulatedPhysicalMemory : IDisposable
{
    private readonly Dictionary<ulong, IntPtr> _frames = new();
    private ulong _nextFrame;
    private readonly int _limit;

    public SimulatedPhysicalMemory(ulong firstFrame = 0x10_0000, int limit = 4096)
    {
        _nextFrame = firstFrame;
        _limit = limit;
    }

    public int TablesAllocated => _frames.Count;

    /// <summary>Frames given back through Free, in order.</summary>
    public List<ulong> Freed { get; } = new();

    public bool TryAllocate(out PhysicalAddress frame)
    {
        if (_frames.Count >= _limit)
        {
            frame = default;
            return false;
        }

        IntPtr memory = (IntPtr)NativeMemory.AlignedAlloc(4096, 4096);
        NativeMemory.Clear((void*)memory, 4096);
        _frames[_nextFrame] = memory;
        frame = new PhysicalAddress(_nextFrame);
        _nextFrame += 4096;
        return true;
    }

    public ulong* Entries(PhysicalAddress frame) => (ulong*)_frames[frame.Value];

    /// <summary>Releases a frame; freeing one that is not allocated fails the test.</summary>
    public void Free(PhysicalAddress frame)
    {
        Assert.True(_frames.Remove(frame.Value, out IntPtr memory), "freed a frame that is not allocated: 0x" + frame.Value.ToString("X"));
        NativeMemory.AlignedFree((void*)memory);
        Freed.Add(frame.Value);
    }

    public void Dispose()
    {
        foreach (IntPtr memory in _frames.Values)
            NativeMemory.AlignedFree((void*)memory);
        _frames.Clear();
    }
}

public readonly unsafe struct SimulatedTables : IPageTableMemory
{
    private readonly SimulatedPhysicalMemory _memory;

    public SimulatedTables(SimulatedPhysicalMemory memory) => _memory = memory;

    public bool TryAllocateTable(out PhysicalAddress table) => _memory.TryAllocate(out table);

    public ulong* TableEntries(PhysicalAddress table) => _memory.Entries(table);

    public void FreeTable(PhysicalAddress table) => _memory.Free(table);
}
