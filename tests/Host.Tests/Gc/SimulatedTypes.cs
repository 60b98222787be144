// Fake MethodTables in native memory, laid out the way ILCompiler lays out the
// kernel's (flags, base size, GCDesc below the MethodTable), so the
// collector's real decoding code runs over them on the host. Covers every
// shape the kernel has: leaves, objects with one or several reference series,
// arrays of references, arrays of structs holding references (the repeating
// GCDesc form) and primitive arrays.
using System.Runtime.InteropServices;
using Shared.Gc;

namespace Host.Tests.Gc;

public enum SimulatedKind
{
    /// <summary>No references: data words only (the first holds the object's id).</summary>
    Leaf,

    /// <summary>One series: id word is after the references.</summary>
    Node,

    /// <summary>Two series: refs, then the id and another data word, then more refs.</summary>
    SplitNode,

    /// <summary>object[]: one series over the elements.</summary>
    ReferenceArray,

    /// <summary>struct { object A; long Data; object B; }[]: the repeating form.</summary>
    StructArray,

    /// <summary>byte[]: a leaf with a component size.</summary>
    ByteArray,
}

public sealed unsafe class SimulatedType
{
    public SimulatedKind Kind { get; init; }

    public byte* MethodTable { get; init; }

    /// <summary>Reference fields of a Node (both series together for a SplitNode).</summary>
    public int References { get; init; }

    public int DataWords { get; init; }

    public uint BaseSize { get; init; }

    public bool IsArray => Kind is SimulatedKind.ReferenceArray or SimulatedKind.StructArray or SimulatedKind.ByteArray;

    /// <summary>Offsets (from the object) of the reference slots of an instance with <paramref name="length"/> elements.</summary>
    public IEnumerable<int> ReferenceOffsets(int length)
    {
        switch (Kind)
        {
            case SimulatedKind.Node:
                for (int i = 0; i < References; i++)
                    yield return 8 + (8 * i);
                break;
            case SimulatedKind.SplitNode:
                int first = References / 2;
                for (int i = 0; i < first; i++)
                    yield return 8 + (8 * i);
                for (int i = first; i < References; i++)
                    yield return 8 + (8 * (i + 2));
                break;
            case SimulatedKind.ReferenceArray:
                for (int i = 0; i < length; i++)
                    yield return 16 + (8 * i);
                break;
            case SimulatedKind.StructArray:
                for (int i = 0; i < length; i++)
                {
                    yield return 16 + (24 * i);
                    yield return 16 + (24 * i) + 16;
                }

                break;
        }
    }

    /// <summary>Offset of the id word (non-array types).</summary>
    public int IdOffset => Kind switch
    {
        SimulatedKind.Leaf => 8,
        SimulatedKind.Node => 8 + (8 * References),
        SimulatedKind.SplitNode => 8 + (8 * (References / 2)),
        _ => -1,
    };

    public nuint Size(int length) => (nuint)((BaseSize + (Kind switch
    {
        SimulatedKind.ReferenceArray => 8L * length,
        SimulatedKind.StructArray => 24L * length,
        SimulatedKind.ByteArray => length,
        _ => 0,
    }) + 7) & ~7L);
}

/// <summary>Owns the native memory of a set of fake MethodTables.</summary>
public sealed unsafe class SimulatedTypes : IDisposable
{
    private readonly List<IntPtr> _blocks = new();

    public SimulatedType Leaf(int dataWords) => Create(SimulatedKind.Leaf, 0, dataWords);

    public SimulatedType Node(int references, int dataWords = 1) => Create(SimulatedKind.Node, references, dataWords);

    public SimulatedType SplitNode(int references) => Create(SimulatedKind.SplitNode, references, 2);

    public SimulatedType ReferenceArray() => Create(SimulatedKind.ReferenceArray, 0, 0);

    public SimulatedType StructArray() => Create(SimulatedKind.StructArray, 0, 0);

    public SimulatedType ByteArray() => Create(SimulatedKind.ByteArray, 0, 0);

    private SimulatedType Create(SimulatedKind kind, int references, int dataWords)
    {
        // 64 bytes of room for the GCDesc below the MethodTable, 64 for the MethodTable itself.
        byte* block = (byte*)NativeMemory.AllocZeroed(128);
        _blocks.Add((IntPtr)block);
        byte* mt = block + 64;
        uint baseSize;
        uint flags = 0;
        switch (kind)
        {
            case SimulatedKind.Leaf:
                baseSize = (uint)Math.Max(24, 16 + (8 * dataWords));
                break;
            case SimulatedKind.Node:
                baseSize = (uint)Math.Max(24, 16 + (8 * (references + dataWords)));
                flags = ObjectLayout.ContainsReferencesFlag;
                *(nint*)(mt - 8) = 1;
                *(nint*)(mt - 16) = 8;
                *(nint*)(mt - 24) = (8 * references) - (nint)baseSize;
                break;
            case SimulatedKind.SplitNode:
                int first = references / 2;
                baseSize = (uint)(16 + (8 * (references + dataWords)));
                flags = ObjectLayout.ContainsReferencesFlag;
                *(nint*)(mt - 8) = 2;
                *(nint*)(mt - 16) = 8;
                *(nint*)(mt - 24) = (8 * first) - (nint)baseSize;
                *(nint*)(mt - 32) = 8 + (8 * (first + dataWords));
                *(nint*)(mt - 40) = (8 * (references - first)) - (nint)baseSize;
                break;
            case SimulatedKind.ReferenceArray:
                baseSize = 24;
                flags = ObjectLayout.ContainsReferencesFlag | ObjectLayout.HasComponentSizeFlag | 8;
                *(nint*)(mt - 8) = 1;
                *(nint*)(mt - 16) = 16;
                *(nint*)(mt - 24) = -24;
                break;
            case SimulatedKind.StructArray:
                baseSize = 24;
                flags = ObjectLayout.ContainsReferencesFlag | ObjectLayout.HasComponentSizeFlag | 24;
                *(nint*)(mt - 8) = -2;
                *(nint*)(mt - 16) = 16;
                *(uint*)(mt - 24) = 1; // one reference (A) ...
                *(uint*)(mt - 20) = 8; // ... then skip Data
                *(uint*)(mt - 32) = 1; // B
                *(uint*)(mt - 28) = 0;
                break;
            default:
                baseSize = 24;
                flags = ObjectLayout.HasComponentSizeFlag | 1;
                break;
        }

        *(uint*)mt = flags;
        *(uint*)(mt + 4) = baseSize;
        return new SimulatedType { Kind = kind, MethodTable = mt, References = references, DataWords = dataWords, BaseSize = baseSize };
    }

    public void Dispose()
    {
        foreach (IntPtr block in _blocks)
            NativeMemory.Free((void*)block);
        _blocks.Clear();
    }
}
