// Walks a region of consecutive allocations that the collector never frees
// but whose references are roots: the early bump region (objects allocated
// before the kernel heap existed, Internal.Runtime.RuntimeAllocator) and the
// frozen segment ILCompiler preinitializes (string literals, static arrays).
//
// Layout: each allocation starts with an 8-byte header. An object's header has
// RawBlockTag clear and the object (its MethodTable pointer) follows; the
// runtime tags the header of a non-object allocation (a native buffer from the
// bump region) with RawBlockTag | its byte count. A zero MethodTable ends the
// walk: nothing was allocated there yet.
namespace Shared.Gc;

public static unsafe class ObjectRegion
{
    /// <summary>Set in the header of a bump-region allocation that is not an object; the low bits hold its size.</summary>
    public const ulong RawBlockTag = 1UL << 63;

    /// <summary>Scans the reference fields of every object in [start, end) as roots; returns how many objects it saw.</summary>
    /// <remarks>The caller guarantees the region is laid out as described above and fully readable.</remarks>
    public static nuint ScanRoots(ref MarkSweepCollector collector, byte* start, byte* end)
    {
        nuint objects = 0;
        byte* cursor = start;
        while (cursor + ObjectLayout.HeaderSize + sizeof(nuint) <= end)
        {
            ulong header = *(ulong*)cursor;
            if ((header & RawBlockTag) != 0)
            {
                cursor += ObjectLayout.HeaderSize + (((header & ~RawBlockTag) + 7) & ~7UL);
                continue;
            }

            nuint obj = (nuint)(cursor + ObjectLayout.HeaderSize);
            if (*(nuint*)obj == 0)
                break;
            objects++;
            if (ObjectLayout.ContainsReferences(ObjectLayout.MethodTableOf(obj)))
                collector.ScanObjectFields(obj);
            cursor += ObjectLayout.Size(obj);
        }

        return objects;
    }
}
