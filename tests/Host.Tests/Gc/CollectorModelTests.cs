// The collector against a model: random object graphs (cycles, arrays of
// references, arrays of structs holding references, objects with two
// reference series), precise roots added and removed, conservative words
// (exact, interior, junk), and root objects outside the heap. After every
// collection: nothing the model can reach is freed or damaged, and everything
// it cannot reach is freed. Seeded, so a failure reproduces.
using Shared.Gc;
using Xunit;

namespace Host.Tests.Gc;

public sealed unsafe class CollectorModelTests
{
    private sealed class ModelObject
    {
        public int Id;
        public nuint Address;
        public SimulatedType Type;
        public int Length;
        public int[] Offsets;

        /// <summary>Model of each reference slot: the id it refers to, or -1.</summary>
        public int[] Targets;
        public int LiveIndex;
    }

    private sealed class Model
    {
        public readonly Dictionary<int, ModelObject> Objects = new();
        public readonly List<ModelObject> Live = new();
        public readonly int[] Roots = new int[64];
        public readonly nuint[] Stack = new nuint[32];
        public int NextId = 1;
    }

    [Theory]
    [InlineData(1, 25_000)]
    [InlineData(2, 25_000)]
    [InlineData(3, 25_000)]
    [InlineData(4, 25_000)]
    public void RandomMutations_FreeExactlyTheUnreachable(int seed, int mutations)
    {
        using var types = new SimulatedTypes();
        SimulatedType[] kinds =
        {
            types.Leaf(1), types.Leaf(6), types.Node(1), types.Node(2), types.Node(5, 3),
            types.SplitNode(4), types.ReferenceArray(), types.StructArray(), types.ByteArray(),
        };
        using var heap = new SimulatedHeap(64 << 20, markStackCapacity: 64); // small: the overflow path runs too
        var model = new Model();
        Array.Fill(model.Roots, -1);
        var random = new Random(seed);
        int collections = 0;

        for (int step = 0; step < mutations; step++)
        {
            int action = random.Next(100);
            if (action < 35)
                Allocate(heap, model, kinds[random.Next(kinds.Length)], random);
            else if (action < 65)
                Store(model, random);
            else if (action < 75)
                model.Roots[random.Next(model.Roots.Length)] = -1;
            else if (action < 82)
                SetStackWord(model, random, heap);
            else if (action < 99)
                Store(model, random, allowNull: true);
            else
            {
                CollectAndCheck(heap, model);
                collections++;
            }
        }

        CollectAndCheck(heap, model);
        Assert.True(collections > 100, "the run collected " + collections + " times");
    }

    [Fact]
    public void MutationCount_IsAtLeast100000()
    {
        int total = typeof(CollectorModelTests).GetMethod(nameof(RandomMutations_FreeExactlyTheUnreachable))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>()
            .Sum(a => (int)a.GetData(null!).First()[1]);
        Assert.True(total >= 100_000, total + " mutations");
    }

    private static void Allocate(SimulatedHeap heap, Model model, SimulatedType type, Random random)
    {
        int length = type.IsArray ? random.Next(0, type.Kind == SimulatedKind.ByteArray ? 300 : 12) : 0;
        nuint address = heap.Allocate(type, length);
        var obj = new ModelObject { Id = model.NextId++, Address = address, Type = type, Length = length };
        obj.Offsets = type.ReferenceOffsets(length).ToArray();
        obj.Targets = new int[obj.Offsets.Length];
        Array.Fill(obj.Targets, -1);
        if (type.IdOffset >= 0)
            *(long*)(address + (nuint)type.IdOffset) = obj.Id;
        model.Objects[obj.Id] = obj;
        obj.LiveIndex = model.Live.Count;
        model.Live.Add(obj);

        // Usually make it reachable: from a root or from a live object's slot.
        int where = random.Next(10);
        if (where < 3)
            model.Roots[random.Next(model.Roots.Length)] = obj.Id;
        else if (where < 8 && model.Live.Count > 1)
        {
            ModelObject holder = model.Live[random.Next(model.Live.Count)];
            if (holder.Offsets.Length > 0)
                SetSlot(model, holder, random.Next(holder.Offsets.Length), obj.Id);
        }
    }

    private static void Store(Model model, Random random, bool allowNull = false)
    {
        if (model.Live.Count == 0)
            return;
        ModelObject holder = model.Live[random.Next(model.Live.Count)];
        if (holder.Offsets.Length == 0)
            return;
        int target = allowNull && random.Next(3) == 0 ? -1 : model.Live[random.Next(model.Live.Count)].Id;
        SetSlot(model, holder, random.Next(holder.Offsets.Length), target);
    }

    private static void SetSlot(Model model, ModelObject holder, int slot, int target)
    {
        holder.Targets[slot] = target;
        *(nuint*)(holder.Address + (nuint)holder.Offsets[slot]) = target < 0 ? 0 : model.Objects[target].Address;
    }

    // A "stack" word: an exact reference, an interior pointer (header and last byte included), or junk.
    private static void SetStackWord(Model model, Random random, SimulatedHeap heap)
    {
        int index = random.Next(model.Stack.Length);
        int kind = random.Next(5);
        if (model.Live.Count == 0 || kind == 0)
        {
            model.Stack[index] = kind == 0 ? heap.Start + (nuint)random.Next(0, 64 << 20) : 0;
            return;
        }

        ModelObject target = model.Live[random.Next(model.Live.Count)];
        nuint size = target.Type.Size(target.Length);
        model.Stack[index] = kind switch
        {
            1 => target.Address,
            2 => target.Address - 8 + (nuint)random.Next(0, (int)size),
            3 => target.Address - 8 + size - 1,
            _ => target.Address - 8,
        };
    }

    private static void CollectAndCheck(SimulatedHeap heap, Model model)
    {
        MarkSweepCollector* collector = heap.Collector;
        collector->BeginMark();
        foreach (int root in model.Roots)
        {
            if (root >= 0)
                collector->MarkReference(model.Objects[root].Address);
        }

        fixed (nuint* stack = model.Stack)
            collector->ScanConservativeRange(stack, stack + model.Stack.Length);
        collector->FinishMark();
        CollectionCounts marked = collector->Counts;
        heap.Sweep();
        CollectionCounts counts = collector->Counts;

        HashSet<int> reachable = Reachable(model);
        Assert.Equal(0UL, counts.StrayReferences);
        Assert.Equal((ulong)reachable.Count, marked.MarkedObjects);
        int unreachable = 0;
        foreach (ModelObject obj in model.Live.ToArray())
        {
            bool recorded = collector->Objects.Contains(obj.Address);
            if (reachable.Contains(obj.Id))
            {
                Assert.True(recorded, "reachable object " + obj.Id + " was freed");
                CheckIntact(model, obj);
                Assert.False(ObjectLayout.IsMarked(obj.Address), "the sweep cleared the mark");
            }
            else
            {
                Assert.False(recorded, "unreachable object " + obj.Id + " survived");
                Remove(model, obj);
                unreachable++;
            }
        }

        Assert.Equal((ulong)unreachable, counts.FreedObjects);
        Assert.Equal((nuint)model.Live.Count, collector->Objects.Count);

        // Stack words into freed memory are junk now; keep them (they must not resurrect anything).
    }

    private static HashSet<int> Reachable(Model model)
    {
        var seen = new HashSet<int>();
        var work = new Stack<int>();
        foreach (int root in model.Roots)
        {
            if (root >= 0 && seen.Add(root))
                work.Push(root);
        }

        foreach (nuint word in model.Stack)
        {
            foreach (ModelObject obj in model.Live)
            {
                if (word >= obj.Address - 8 && word < obj.Address - 8 + obj.Type.Size(obj.Length) && seen.Add(obj.Id))
                    work.Push(obj.Id);
            }
        }

        while (work.Count > 0)
        {
            ModelObject obj = model.Objects[work.Pop()];
            foreach (int target in obj.Targets)
            {
                if (target >= 0 && seen.Add(target))
                    work.Push(target);
            }
        }

        return seen;
    }

    private static void CheckIntact(Model model, ModelObject obj)
    {
        Assert.True(*(nuint*)obj.Address == (nuint)obj.Type.MethodTable, "object " + obj.Id + " lost its MethodTable");
        if (obj.Type.IdOffset >= 0)
            Assert.Equal(obj.Id, *(long*)(obj.Address + (nuint)obj.Type.IdOffset));
        if (obj.Type.IsArray)
            Assert.Equal(obj.Length, *(int*)(obj.Address + 8));
        for (int i = 0; i < obj.Offsets.Length; i++)
        {
            nuint expected = obj.Targets[i] < 0 ? 0 : model.Objects[obj.Targets[i]].Address;
            Assert.True(expected == *(nuint*)(obj.Address + (nuint)obj.Offsets[i]), "object " + obj.Id + " slot " + i + " changed");
        }
    }

    private static void Remove(Model model, ModelObject obj)
    {
        ModelObject last = model.Live[^1];
        model.Live[obj.LiveIndex] = last;
        last.LiveIndex = obj.LiveIndex;
        model.Live.RemoveAt(model.Live.Count - 1);
        model.Objects.Remove(obj.Id);
        for (int i = 0; i < model.Roots.Length; i++)
        {
            if (model.Roots[i] == obj.Id)
                throw new InvalidOperationException("a root referred to an unreachable object");
        }
    }
}
