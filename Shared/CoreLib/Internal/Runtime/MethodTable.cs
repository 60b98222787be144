// The compiler's description of a type, as ILCompiler 10 lays it out:
//   +0  u32 flags (low 16 bits: component size for arrays and strings)
//   +4  u32 base size (includes the 8-byte object header that precedes the object)
//   +8  MethodTable* related type (base type, or element type for arrays)
//   +16 u16 vtable slot count, u16 interface count, u32 hash code
//   +24 vtable slots, then the interface map (MethodTable* each), then
//       32-bit relative pointers: type manager, writable data, and - each
//       only when its flag says so - dispatch map, finalizer, sealed vtable,
//       generic definition, generic arguments.
// Only what the runtime library needs is decoded here.
using System.Runtime.CompilerServices;

namespace Internal.Runtime;

public unsafe struct MethodTable
{
    private const uint HasComponentSizeFlag = 0x80000000;
    private const uint HasPointersFlag = 0x01000000;
    private const uint HasDispatchMapFlag = 0x00040000;
    private const uint GenericVarianceFlag = 0x00800000;
    private const uint HasFinalizerFlag = 0x00100000;
    private const uint HasSealedVTableEntriesFlag = 0x00400000;
    private const uint IsGenericFlag = 0x02000000;
    private const uint KindMask = 0x00030000;
    private const uint ElementTypeMask = 0x7C000000;
    private const int ElementTypeShift = 26;

    private uint _flags;
    private uint _baseSize;
    private MethodTable* _relatedType;
    private ushort _numVtableSlots;
    private ushort _numInterfaces;
    private uint _hashCode;

    [Intrinsic]
    internal static extern MethodTable* Of<T>();

    public uint Flags => _flags;

    /// <summary>Bytes for an instance without elements, object header included.</summary>
    public uint BaseSize => _baseSize;

    public bool HasComponentSize => (_flags & HasComponentSizeFlag) != 0;

    /// <summary>Bytes per element of an array or string; 0 for other types.</summary>
    public ushort ComponentSize => HasComponentSize ? (ushort)_flags : (ushort)0;

    /// <summary>True when instances hold object references (a GCDesc precedes the MethodTable).</summary>
    public bool ContainsGCPointers => (_flags & HasPointersFlag) != 0;

    public bool HasDispatchMap => (_flags & HasDispatchMapFlag) != 0;

    public bool HasGenericVariance => (_flags & GenericVarianceFlag) != 0;

    internal uint Kind => (_flags & KindMask) >> 16;

    public bool IsParameterizedType => Kind == 2;

    public EETypeElementType ElementType => (EETypeElementType)((_flags & ElementTypeMask) >> ElementTypeShift);

    public bool IsArray => ElementType == EETypeElementType.SzArray || ElementType == EETypeElementType.Array;

    public bool IsSzArray => ElementType == EETypeElementType.SzArray;

    public bool IsInterface => ElementType == EETypeElementType.Interface;

    public bool IsValueType => ElementType < EETypeElementType.Class;

    public bool IsNullable => ElementType == EETypeElementType.Nullable;

    public bool IsPointer => ElementType == EETypeElementType.Pointer;

    public bool IsPrimitive => ElementType > EETypeElementType.Void && ElementType < EETypeElementType.ValueType;

    /// <summary>Base type of a class; element type of an array; the T of Nullable&lt;T&gt;.</summary>
    public MethodTable* RelatedType => _relatedType;

    public MethodTable* BaseType => IsArray ? null : _relatedType;

    public MethodTable* RelatedParameterType => _relatedType;

    public bool IsGeneric => (_flags & IsGenericFlag) != 0;

    public bool IsFinalizable => (_flags & HasFinalizerFlag) != 0;

    public bool HasSealedVTableEntries => (_flags & HasSealedVTableEntriesFlag) != 0;

    /// <summary>For Nullable&lt;T&gt;: the MethodTable of T, its single generic argument.</summary>
    public MethodTable* NullableType
    {
        get
        {
            // With one generic argument the composition field is itself the relative pointer to it.
            int* composition = RelativeField(GenericCompositionIndex);
            return (MethodTable*)FollowRelative(composition);
        }
    }

    /// <summary>For Nullable&lt;T&gt;: where the value starts (after the HasValue flag, aligned for T).</summary>
    public int NullableValueOffset => 1 << (int)((_flags & 0x700) >> 8);

    public ushort NumVtableSlots => _numVtableSlots;

    public ushort NumInterfaces => _numInterfaces;

    public uint HashCode => _hashCode;

    /// <summary>Bytes of the value a boxed instance of this value type carries.</summary>
    public uint ValueTypeSize => _baseSize - 16 - ((_flags & 0xE0) >> 5);

    public nint* VTable
    {
        get
        {
            fixed (MethodTable* self = &this)
                return (nint*)((byte*)self + sizeof(MethodTable));
        }
    }

    public MethodTable** InterfaceMap => (MethodTable**)(VTable + _numVtableSlots);

    public MethodTable* GetInterface(int index) => InterfaceMap[index];

    /// <summary>The dispatch map: which vtable slot implements each interface method.</summary>
    public DispatchMap* DispatchMap => HasDispatchMap ? (DispatchMap*)FollowRelative(RelativeField(DispatchMapIndex)) : null;

    /// <summary>Code address of a sealed virtual method (slot numbers at or above NumVtableSlots).</summary>
    public nint GetSealedVirtualSlot(int index)
    {
        int* table = (int*)FollowRelative(RelativeField(SealedVTableIndex));
        return (nint)FollowRelative(table + index);
    }

    // Positions (in 32-bit relative pointers after the interface map) of the optional fields.
    private int DispatchMapIndex => 2;

    private int SealedVTableIndex => 2 + (HasDispatchMap ? 1 : 0) + (IsFinalizable ? 1 : 0);

    private int GenericCompositionIndex => SealedVTableIndex + (HasSealedVTableEntries ? 1 : 0) + 1;

    private int* RelativeField(int index) => (int*)(InterfaceMap + _numInterfaces) + index;

    private static void* FollowRelative(int* field) => (byte*)field + *field;
}

public enum EETypeElementType : byte
{
    Unknown = 0x00,
    Void = 0x01,
    Boolean = 0x02,
    Char = 0x03,
    SByte = 0x04,
    Byte = 0x05,
    Int16 = 0x06,
    UInt16 = 0x07,
    Int32 = 0x08,
    UInt32 = 0x09,
    Int64 = 0x0A,
    UInt64 = 0x0B,
    IntPtr = 0x0C,
    UIntPtr = 0x0D,
    Single = 0x0E,
    Double = 0x0F,
    ValueType = 0x10,
    Nullable = 0x12,
    Class = 0x14,
    Interface = 0x15,
    SystemArray = 0x16,
    Array = 0x17,
    SzArray = 0x18,
    ByRef = 0x19,
    Pointer = 0x1A,
    FunctionPointer = 0x1B,
}

/// <summary>Maps interface methods to the vtable slots that implement them.</summary>
public unsafe struct DispatchMap
{
    private ushort _standardEntryCount;
    private ushort _defaultEntryCount;
    private ushort _standardStaticEntryCount;
    private ushort _defaultStaticEntryCount;

    public int StandardEntryCount => _standardEntryCount;

    public int DefaultEntryCount => _defaultEntryCount;

    public DispatchMapEntry* Entries
    {
        get
        {
            fixed (DispatchMap* self = &this)
                return (DispatchMapEntry*)(self + 1);
        }
    }
}

public struct DispatchMapEntry
{
    public ushort InterfaceIndex;
    public ushort InterfaceMethodSlot;
    public ushort ImplementationMethodSlot;
}
