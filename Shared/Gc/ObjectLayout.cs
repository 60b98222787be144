// How the collector reads an object without the runtime library's types (the
// same source compiles into the kernel and into the host tests, which have
// their own MethodTables): the 8-byte header before the object, the
// MethodTable pointer at the object's address, and from the MethodTable the
// flags (component size, "contains references") and the base size. The
// layouts are ILCompiler 10.0.14's; tests/Host.Tests/Gc/KernelImageLayoutTests
// checks them against the built kernel image.
namespace Shared.Gc;

public static unsafe class ObjectLayout
{
    /// <summary>Bytes of the object header that precedes every object (owned by the runtime; holds the mark bit).</summary>
    public const int HeaderSize = 8;

    /// <summary>The smallest allocation an object can have (header, MethodTable pointer, one word).</summary>
    public const int MinimumObjectSize = 24;

    public const uint HasComponentSizeFlag = 0x80000000;
    public const uint ContainsReferencesFlag = 0x01000000;

    /// <summary>The mark bit: the lowest bit of the header word.</summary>
    public const ulong MarkBit = 1;

    public static byte* MethodTableOf(nuint obj) => *(byte**)obj;

    public static uint Flags(byte* methodTable) => *(uint*)methodTable;

    public static uint BaseSize(byte* methodTable) => *(uint*)(methodTable + 4);

    public static bool ContainsReferences(byte* methodTable) => (Flags(methodTable) & ContainsReferencesFlag) != 0;

    public static uint ComponentSize(byte* methodTable)
    {
        uint flags = Flags(methodTable);
        return (flags & HasComponentSizeFlag) != 0 ? flags & 0xFFFF : 0;
    }

    /// <summary>Bytes the object occupies, header included, rounded up to 8 (what its allocation holds at least).</summary>
    /// <remarks>The caller guarantees <paramref name="obj"/> is an initialized object.</remarks>
    public static nuint Size(nuint obj)
    {
        byte* methodTable = MethodTableOf(obj);
        nuint size = BaseSize(methodTable);
        uint componentSize = ComponentSize(methodTable);
        if (componentSize != 0)
            size += (nuint)(uint)*(int*)(obj + 8) * componentSize;
        return (size + 7) & ~(nuint)7;
    }

    public static ulong* Header(nuint obj) => (ulong*)(obj - HeaderSize);

    public static bool IsMarked(nuint obj) => (*Header(obj) & MarkBit) != 0;

    public static void SetMark(nuint obj) => *Header(obj) |= MarkBit;

    public static void ClearMark(nuint obj) => *Header(obj) &= ~MarkBit;
}
