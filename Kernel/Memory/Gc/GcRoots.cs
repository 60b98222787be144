// Where the kernel's roots are, for a collection:
//   - GC statics: ILCompiler's GC static region (ReadyToRun section 201) lists
//     one cell per class with reference statics; each cell holds the object
//     that carries the class's reference statics (its own GCDesc covers them).
//   - the frozen segment (section 206): string literals and preinitialized
//     objects ILCompiler laid out in the image. Never freed; their reference
//     fields (a static readonly array can be written to) are roots.
//   - the early bump region: objects allocated before the collector existed
//     (among them the static holders above). Never freed; their references
//     are roots.
//   - ranges the runtime registers (AddRange): native memory that holds
//     references. Nothing registers one today (docs/gc.md).
//   - the stack and the callee-saved registers, conservatively (StackScan).
// Thread statics (section 202) would be roots too, but the runtime library has
// no thread-static support and the kernel declares none: ILCompiler's region
// holds only its always-present inlined block, which the host test over the
// built image checks.
using Internal.Runtime;
using Shared.Gc;

namespace Kernel.Memory.Gc;

internal static unsafe class GcRoots
{
    private const int GCStaticRegionSection = 201;
    private const int ThreadStaticRegionSection = 202;
    private const int FrozenObjectRegionSection = 206;
    private const uint ReadyToRunSignature = 0x00525452;
    private const int MaximumRanges = 16;

    private static byte* s_staticsStart;
    private static byte* s_staticsEnd;
    private static byte* s_frozenStart;
    private static byte* s_frozenEnd;
    private static nuint s_threadStaticEntries;
    private static RangeTable s_ranges;
    private static int s_rangeCount;

    private struct RangeTable
    {
        public fixed ulong Start[MaximumRanges];
        public fixed ulong End[MaximumRanges];
    }

    /// <summary>Finds the image's statics and frozen regions in the ReadyToRun header.</summary>
    public static void Initialize()
    {
        byte* header = (byte*)GcNative.ReadyToRunHeader();
        if (*(uint*)header != ReadyToRunSignature)
            Diagnostics.Panic.Fail("garbage collector: the ReadyToRun header has a bad signature");
        int count = *(ushort*)(header + 12);
        int rowSize = *(byte*)(header + 14);
        byte* row = header + 16;
        for (int i = 0; i < count; i++, row += rowSize)
        {
            int id = *(int*)row;
            byte* start = *(byte**)(row + 8);
            byte* end = *(byte**)(row + 16);
            if (id == GCStaticRegionSection)
            {
                s_staticsStart = start;
                s_staticsEnd = end;
            }
            else if (id == FrozenObjectRegionSection)
            {
                s_frozenStart = start;
                s_frozenEnd = end;
            }
            else if (id == ThreadStaticRegionSection)
            {
                s_threadStaticEntries = (nuint)(end - start) / sizeof(int);
            }
        }
    }

    /// <summary>Entries of the thread-static region: ILCompiler always emits one (its inlined block, holding no statics here).</summary>
    public static nuint ThreadStaticEntries => s_threadStaticEntries;

    public static nuint StaticCells => (nuint)(s_staticsEnd - s_staticsStart) / sizeof(int);

    public static nuint FrozenBytes => (nuint)(s_frozenEnd - s_frozenStart);

    /// <summary>Adds [start, end) as a range of words that may hold references (scanned conservatively). False when full.</summary>
    /// <remarks>The caller guarantees the range stays readable until it is removed.</remarks>
    public static bool AddRange(void* start, void* end)
    {
        if (s_rangeCount == MaximumRanges)
            return false;
        s_ranges.Start[s_rangeCount] = (ulong)start;
        s_ranges.End[s_rangeCount] = (ulong)end;
        s_rangeCount++;
        return true;
    }

    public static void RemoveRange(void* start)
    {
        for (int i = 0; i < s_rangeCount; i++)
        {
            if (s_ranges.Start[i] == (ulong)start)
            {
                s_rangeCount--;
                s_ranges.Start[i] = s_ranges.Start[s_rangeCount];
                s_ranges.End[i] = s_ranges.End[s_rangeCount];
                return;
            }
        }
    }

    /// <summary>Marks from every root except the stack.</summary>
    public static void MarkStaticRoots(ref MarkSweepCollector collector)
    {
        // Each entry is a relative pointer to a cell; an initialized cell holds the statics object.
        for (byte* entry = s_staticsStart; entry < s_staticsEnd; entry += sizeof(int))
        {
            nint* cell = (nint*)(entry + *(int*)entry);
            nint value = *cell;
            if ((value & 1) == 0)
                collector.MarkReference((nuint)value);
        }

        if (s_frozenStart != null)
            ObjectRegion.ScanRoots(ref collector, s_frozenStart, s_frozenEnd);
        ObjectRegion.ScanRoots(ref collector, RuntimeAllocator.BumpRegionStart, RuntimeAllocator.BumpRegionEnd);
        for (int i = 0; i < s_rangeCount; i++)
            collector.ScanConservativeRange((nuint*)s_ranges.Start[i], (nuint*)s_ranges.End[i]);
    }
}
