// A heap for the collector's host tests: an arena of native memory, served by
// size-segregated free lists and a bump pointer, that records every object it
// allocates in the collector's ObjectStartTable, as the kernel's allocation
// path does. Freed blocks are filled with 0xDD so that a live object freed by
// mistake shows up as damage when the model checks it.
using System.Runtime.InteropServices;
using Shared.Gc;

namespace Host.Tests.Gc;

public sealed unsafe class SimulatedHeap : IDisposable
{
    public const byte Poison = 0xDD;

    private readonly byte* _arena;
    private readonly nuint _capacity;
    private readonly Dictionary<nuint, Stack<nuint>> _free = new();
    private readonly List<IntPtr> _tableMemory = new();
    private nuint _next;
    private MarkSweepCollector* _collector;
    private nuint* _markStack;

    public SimulatedHeap(nuint capacity, nuint markStackCapacity = 1 << 16)
    {
        _capacity = capacity;
        _arena = (byte*)NativeMemory.AlignedAlloc(capacity, (nuint)ObjectStartTable.ChunkBytes);
        _next = 0;
        _collector = (MarkSweepCollector*)NativeMemory.AllocZeroed((nuint)sizeof(MarkSweepCollector));
        void* directory = NativeMemory.AllocZeroed(ObjectStartTable.DirectoryBytes(capacity));
        _tableMemory.Add((IntPtr)directory);
        _collector->Objects.Initialize((nuint)_arena, capacity, directory, &AllocateChunk);
        _markStack = (nuint*)NativeMemory.Alloc(markStackCapacity * (nuint)sizeof(nuint));
        _collector->InitializeMarkStack(_markStack, markStackCapacity);
    }

    public MarkSweepCollector* Collector => _collector;

    public nuint Start => (nuint)_arena;

    public nuint BytesInUse { get; private set; }

    /// <summary>Allocates and records an object of <paramref name="type"/>; returns its address (the MethodTable pointer).</summary>
    public nuint Allocate(SimulatedType type, int length = 0)
    {
        nuint size = type.Size(length);
        byte* block = AllocateBlock(size);
        NativeMemory.Clear(block, size);
        nuint obj = (nuint)(block + ObjectLayout.HeaderSize);
        *(byte**)obj = type.MethodTable;
        if (type.IsArray)
            *(int*)(obj + 8) = length;
        if (!_collector->Objects.TryRecord(obj))
            throw new InvalidOperationException("the object start table refused an object");
        BytesInUse += size;
        return obj;
    }

    /// <summary>A block that is not an object (a native buffer): never recorded, never freed by the collector.</summary>
    public byte* AllocateRaw(nuint size) => AllocateBlock((size + 7) & ~(nuint)7);

    public void Free(void* block, nuint size)
    {
        NativeMemory.Fill(block, size, Poison);
        if (!_free.TryGetValue(size, out Stack<nuint> list))
            _free[size] = list = new Stack<nuint>();
        list.Push((nuint)block);
        BytesInUse -= size;
    }

    /// <summary>Sweeps into this heap.</summary>
    public void Sweep()
    {
        var heap = new Adapter(this);
        _collector->Sweep(ref heap);
    }

    private byte* AllocateBlock(nuint size)
    {
        if (_free.TryGetValue(size, out Stack<nuint> list) && list.Count > 0)
            return (byte*)list.Pop();
        if (_next + size > _capacity)
            throw new OutOfMemoryException("the simulated heap is full");
        byte* block = _arena + _next;
        _next += size;
        return block;
    }

    private static void* AllocateChunk(nuint size) => NativeMemory.AllocZeroed(size);

    public void Dispose()
    {
        NativeMemory.AlignedFree(_arena);
        NativeMemory.Free(_markStack);
        NativeMemory.Free(_collector);
        foreach (IntPtr memory in _tableMemory)
            NativeMemory.Free((void*)memory);
        _collector = null;
    }

    // The chunks of the start table are leaked with the test process: they are small and few.
    private readonly struct Adapter : IObjectHeap
    {
        private readonly SimulatedHeap _heap;

        public Adapter(SimulatedHeap heap) => _heap = heap;

        public void FreeObjectBlocks(void** blocks, nuint* sizes, int count)
        {
            for (int i = 0; i < count; i++)
                _heap.Free(blocks[i], sizes[i]);
        }
    }
}
