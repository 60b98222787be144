// The collector's assumptions about ILCompiler's data, checked against the
// kernel image the build just made (artifacts/obj/test/kernel.exe and its
// linker map): every MethodTable's GCDesc is well formed in the layout
// Shared/Gc/GcDesc.cs decodes, the statics holders' GCDescs cover exactly the
// slots their names mark as references, arrays of references and of structs
// use the forms the decoder expects, the frozen segment (ReadyToRun section
// 206) is a walkable run of objects, there are no thread statics (202), and
// the mark loop's prefetch became the instruction (Shared/CoreLib's
// Sse.Prefetch0 is only a self-call until RyuJIT recognizes it).
using AsmGen.Symbols;
using Shared.Boot;
using Shared.Gc;
using Xunit;

namespace Host.Tests.Gc;

public sealed class KernelImageLayoutTests
{
    private static readonly Lazy<KernelImage> s_image = new(KernelImage.Load);

    private sealed class KernelImage
    {
        public required byte[] Memory { get; init; }
        public required ulong Base { get; init; }
        public required LinkerMap Map { get; init; }
        public required Dictionary<ulong, string> MethodTables { get; init; }

        /// <summary>
        /// MethodTables ILCompiler emitted only as type handles ("EEType" in its map, not "ConstructedEEType"):
        /// nothing can allocate them, and ILCompiler writes no GCDesc before them.
        /// </summary>
        public required HashSet<string> UnconstructedTypes { get; init; }

        public static KernelImage Load()
        {
            string directory = AppContext.BaseDirectory;
            while (directory != null && !File.Exists(Path.Combine(directory, "build.cake")))
                directory = Path.GetDirectoryName(directory);
            Assert.True(directory != null, "repository root not found");
            string exe = Path.Combine(directory!, "artifacts", "obj", "test", "kernel.exe");
            string map = Path.Combine(directory!, "artifacts", "obj", "test", "kernel.map");
            Assert.True(File.Exists(exe) && File.Exists(map), "build the kernel first (./build.sh --target=Build): " + exe);

            byte[] file = File.ReadAllBytes(exe);
            Assert.Equal(PeError.None, PeImage.TryParse(file, out PeImage image));
            byte[] memory = new byte[image.SizeOfImage];
            image.CopyTo(memory);
            LinkerMap linkerMap = LinkerMap.Load(map);
            var methodTables = linkerMap.Symbols
                .Where(s => (s.Name.StartsWith("??_7") && s.Name.EndsWith("@@6B@")) || s.Name.StartsWith("__GCStaticEEType_"))
                .GroupBy(s => s.Address).ToDictionary(g => g.Key, g => g.First().Name);
            var unconstructed = System.Xml.Linq.XDocument.Load(Path.Combine(directory!, "artifacts", "obj", "test", "kernel.ilc-map.xml"))
                .Descendants("EEType").Select(e => (string)e.Attribute("Name")!).ToHashSet();
            return new KernelImage { Memory = memory, Base = image.ImageBase, Map = linkerMap, MethodTables = methodTables, UnconstructedTypes = unconstructed };
        }

        public ulong Symbol(string name) => Map.Symbols.Single(s => s.Name == name).Address;

        public int Offset(ulong address) => checked((int)(address - Base));

        public uint U32(ulong address) => BitConverter.ToUInt32(Memory, Offset(address));

        public long I64(ulong address) => BitConverter.ToInt64(Memory, Offset(address));

        public ulong U64(ulong address) => BitConverter.ToUInt64(Memory, Offset(address));

        public int I32(ulong address) => BitConverter.ToInt32(Memory, Offset(address));
    }

    // The reference slots (offsets from the object) an object of this MethodTable has, by the decoder's rules.
    private static List<long> Slots(KernelImage k, ulong mt, long length)
    {
        uint flags = k.U32(mt);
        long size = k.U32(mt + 4) + ((flags & ObjectLayout.HasComponentSizeFlag) != 0 ? length * (flags & 0xFFFF) : 0);
        size = (size + 7) & ~7L;
        var slots = new List<long>();
        if ((flags & ObjectLayout.ContainsReferencesFlag) == 0)
            return slots;
        long count = k.I64(mt - 8);
        if (count > 0)
        {
            for (long i = 0; i < count; i++)
            {
                long offset = k.I64(mt - 16 - (ulong)(16 * i));
                long bytes = k.I64(mt - 24 - (ulong)(16 * i)) + size;
                for (long o = offset; o < offset + bytes; o += 8)
                    slots.Add(o);
            }

            return slots;
        }

        long cursor = k.I64(mt - 16);
        long end = size - 8;
        while (cursor < end)
        {
            for (long j = 0; j < -count && cursor < end; j++)
            {
                ulong item = mt - 24 - (ulong)(8 * j);
                uint pointers = k.U32(item);
                uint skip = k.U32(item + 4);
                for (uint p = 0; p < pointers; p++, cursor += 8)
                    slots.Add(cursor);
                cursor += skip;
            }
        }

        return slots;
    }

    [Fact]
    public void EveryMethodTableWithReferences_HasAWellFormedGcDesc()
    {
        KernelImage k = s_image.Value;
        int checkedTypes = 0;
        foreach ((ulong mt, string name) in k.MethodTables)
        {
            uint flags = k.U32(mt);
            if ((flags & ObjectLayout.ContainsReferencesFlag) == 0 || k.UnconstructedTypes.Contains(name))
                continue;
            uint baseSize = k.U32(mt + 4);
            long count = k.I64(mt - 8);
            Assert.True(count != 0, name + ": GCDesc with no series");
            bool isArray = (flags & ObjectLayout.HasComponentSizeFlag) != 0;
            uint componentSize = flags & 0xFFFF;
            if (count > 0)
            {
                Assert.True(count < 64, name + ": " + count + " series");
                for (long length = 0; length <= (isArray ? 3 : 0); length++)
                {
                    List<long> slots = Slots(k, mt, length);
                    long size = baseSize + (length * componentSize);
                    Assert.All(slots, o => Assert.True(o >= 8 && o % 8 == 0 && o + 8 <= size - 8, name + ": slot " + o + " outside the object (" + size + " bytes)"));
                    Assert.Equal(slots.Count, slots.Distinct().Count());
                    if (isArray)
                        Assert.Equal((int)length * (int)componentSize / 8, slots.Count);
                }
            }
            else
            {
                Assert.True(isArray, name + ": the repeating form on a non-array");
                long perElement = 0;
                for (long j = 0; j < -count; j++)
                {
                    ulong item = mt - 24 - (ulong)(8 * j);
                    Assert.True(k.U32(item) >= 1, name + ": item without pointers");
                    perElement += (8 * k.U32(item)) + k.U32(item + 4);
                }

                Assert.Equal((long)componentSize, perElement);
                long first = k.I64(mt - 16);
                Assert.True(first >= baseSize - 8 && first < baseSize - 8 + componentSize, name + ": first reference at " + first);
            }

            checkedTypes++;
        }

        Assert.True(checkedTypes > 20, checkedTypes + " types with references");
    }

    [Fact]
    public void StaticsHolders_GcDescCoversExactlyTheSlotsTheirNamesMark()
    {
        KernelImage k = s_image.Value;
        var holders = k.MethodTables.Where(p => p.Value.StartsWith("__GCStaticEEType_")).ToList();
        Assert.NotEmpty(holders);
        foreach ((ulong mt, string name) in holders)
        {
            string bits = name.Substring("__GCStaticEEType_".Length);
            // The name is the holder's layout, one digit per 8-byte slot from the MethodTable pointer: 1 = reference.
            var expected = bits.Select((c, i) => (c, i)).Where(x => x.c == '1').Select(x => 8L * x.i).ToList();
            Assert.Equal(expected, Slots(k, mt, 0).OrderBy(o => o).ToList());
        }
    }

    [Fact]
    public void ArraysOfReferencesAndOfStructs_UseTheFormsTheDecoderExpects()
    {
        KernelImage k = s_image.Value;
        ulong objects = k.Symbol("??_7__Array<Object>@@6B@");
        Assert.Equal(1L, k.I64(objects - 8));
        Assert.Equal(16L, k.I64(objects - 16));
        Assert.Equal(-(long)k.U32(objects + 4), k.I64(objects - 24));
        Assert.Equal(new long[] { 16, 24, 32 }, Slots(k, objects, 3));

        // struct Pair { object First; long Number; string Second; } (Kernel/Tests/GcTests.cs): two references per 24-byte element.
        ulong pairs = k.Symbol("??_7__Array<Kernel_Kernel_Tests_GcTests_Pair>@@6B@");
        Assert.True(k.I64(pairs - 8) < 0, "the repeating form");
        Assert.Equal(24u, k.U32(pairs) & 0xFFFF);
        List<long> slots = Slots(k, pairs, 2);
        Assert.Equal(4, slots.Count);
        Assert.Equal(2, slots.Count(o => o >= 16 && o < 40));

        // class Mixed { int A; object B; long C; string D; Pair E; }: four reference slots in all.
        Assert.Equal(4, Slots(k, k.Symbol("??_7Kernel_Kernel_Tests_GcTests_Mixed@@6B@"), 0).Count);
        Assert.Empty(Slots(k, k.Symbol("??_7String@@6B@"), 5));
    }

    [Fact]
    public void FrozenSegment_IsAWalkableRunOfObjects_AndThereAreNoThreadStatics()
    {
        KernelImage k = s_image.Value;
        ulong header = k.Symbol("__ReadyToRunHeader");
        Assert.Equal(0x00525452u, k.U32(header));
        int rows = BitConverter.ToUInt16(k.Memory, k.Offset(header + 12));
        int rowSize = k.Memory[k.Offset(header + 14)];
        var sections = new Dictionary<int, (ulong Start, ulong End)>();
        for (int i = 0; i < rows; i++)
        {
            ulong row = header + 16 + (ulong)(i * rowSize);
            sections[k.I32(row)] = (k.U64(row + 8), k.U64(row + 16));
        }

        Assert.True(sections.ContainsKey(201), "GC static region");
        // ILCompiler always emits one 8-byte entry (the inlined thread-statics block); more would mean real thread statics.
        Assert.False(sections.TryGetValue(202, out var threadStatics) && threadStatics.End - threadStatics.Start > 8, "the kernel has thread statics");
        Assert.True(k.Map.Symbols.Single(s => s.Name == "tls_InlinedThreadStatics") != null);
        (ulong start, ulong end) = sections[206];
        Assert.Equal(k.Symbol("__FrozenSegmentStart"), start);

        ulong cursor = start;
        int objects = 0;
        while (cursor + 16 <= end)
        {
            Assert.Equal(0UL, k.U64(cursor));
            ulong mt = k.U64(cursor + 8);
            Assert.True(k.MethodTables.ContainsKey(mt), $"frozen object at 0x{cursor + 8:X} has MethodTable 0x{mt:X}, not a known type");
            uint flags = k.U32(mt);
            long size = k.U32(mt + 4) + ((flags & ObjectLayout.HasComponentSizeFlag) != 0 ? (long)k.U32(cursor + 16) * (flags & 0xFFFF) : 0);
            cursor += (ulong)((size + 7) & ~7L);
            objects++;
        }

        // The segment ends in one zeroed 8-byte word (room for a header); Shared/Gc/ObjectRegion stops there too.
        Assert.True(end - cursor == 8 && k.U64(cursor) == 0, $"the walk ended at 0x{cursor:X}, the segment at 0x{end:X}");
        Assert.True(objects > 10, objects + " frozen objects");
    }

    [Fact]
    public void MarkLoop_PrefetchesWithTheInstruction_NotACallToItsSelfCallingBody()
    {
        // Shared/CoreLib's Sse.Prefetch0 calls itself, as .NET's does: only RyuJIT's recognition of the intrinsic
        // makes it one prefetcht0. Were it not recognized, the kernel's mark loop would recurse until its stack ran out.
        KernelImage k = s_image.Value;
        MapSymbol drain = k.Map.Symbols.Single(s => s.Name == "Kernel_Shared_Gc_MarkSweepCollector__Drain");
        ulong end = k.Map.Symbols.Where(s => s.Section == drain.Section && s.Address > drain.Address).Min(s => s.Address);
        byte[] code = k.Memory[k.Offset(drain.Address)..k.Offset(end)];
        var decoder = Iced.Intel.Decoder.Create(64, new Iced.Intel.ByteArrayCodeReader(code));
        decoder.IP = drain.Address;
        int prefetches = 0;
        var callTargets = new List<ulong>();
        while (decoder.IP < end)
        {
            Iced.Intel.Instruction instruction = decoder.Decode();
            if (instruction.Mnemonic == Iced.Intel.Mnemonic.Prefetcht0)
                prefetches++;
            if (instruction.FlowControl == Iced.Intel.FlowControl.Call && instruction.Op0Kind == Iced.Intel.OpKind.NearBranch64)
                callTargets.Add(instruction.NearBranch64);
        }

        Assert.True(prefetches >= 1, "no prefetcht0 in the mark loop");
        var prefetchBodies = k.Map.Symbols.Where(s => s.Name.Contains("Prefetch")).Select(s => s.Address).ToHashSet();
        Assert.DoesNotContain(callTargets, prefetchBodies.Contains);
    }
}
