// Interface calls that the compiler could not devirtualize go through a
// dispatch cell: { stub, cache }. The stub (RhpInitialDynamicInterfaceDispatch,
// machine code in runtime.obj) saves the argument registers and asks
// ResolveInterfaceCall for the target, then jumps there.
//
// Cell encoding (ILCompiler 10): the cache word holds a 32-bit pointer to the
// interface's MethodTable, relative to the cache word itself, with the low two
// bits = 3 (or 2 when the relative pointer goes through an indirection cell,
// or 1 for an absolute pointer). All cells of one interface method sit
// together and end with a terminator cell whose stub is null and whose cache
// word is the interface slot number.
using Internal.Runtime;

namespace System.Runtime;

internal static unsafe class InterfaceDispatch
{
    private struct DispatchCell
    {
        public nint Stub;
        public nint Cache;
    }

    private const nint FlagMask = 3;
    private const nint InterfaceRelativePointer = 3;
    private const nint IndirectedInterfaceRelativePointer = 2;
    private const nint InterfacePointer = 1;

    // Small direct-mapped cache of (type, cell) -> target: most call sites see few types.
    private const int CacheSize = 256;
    private static CacheEntry* s_cache;
    private static ulong s_resolutions;
    private static ulong s_cacheHits;

    private struct CacheEntry
    {
        public MethodTable* Type;
        public DispatchCell* Cell;
        public nint Target;
    }

    public static ulong Resolutions => s_resolutions;

    public static ulong CacheHits => s_cacheHits;

    [RuntimeExport("RhpResolveInterfaceCall")]
    private static nint ResolveInterfaceCall(object thisObject, nint cellAddress)
    {
        if (thisObject is null)
            ThrowHelper.ThrowNullReference("Interface method called on a null reference.");
        return Resolve(thisObject.GetMethodTable(), (DispatchCell*)cellAddress);
    }

    /// <summary>Used by delegates bound to interface methods.</summary>
    internal static IntPtr ResolveFromCell(object thisObject, IntPtr cellAddress)
        => (IntPtr)Resolve(thisObject.GetMethodTable(), (DispatchCell*)cellAddress);

    /// <summary>Allocates the resolution cache; called once at start-up, so no interrupt handler ever allocates it.</summary>
    internal static void Initialize()
    {
        if (s_cache == null)
            s_cache = (CacheEntry*)RuntimeAllocator.AllocateZeroed((nuint)(sizeof(CacheEntry) * CacheSize));
    }

    private static nint Resolve(MethodTable* type, DispatchCell* cell)
    {
        s_resolutions++;
        CacheEntry* cache = s_cache;
        nint hash = (((nint)type >> 4) ^ ((nint)cell >> 4)) & (CacheSize - 1);

        // An interrupt handler may make interface calls too: read and write entries with
        // interrupts off, so nobody sees an entry half-written.
        ulong flags = RuntimeImports.SaveFlagsAndDisableInterrupts();
        if (cache != null && cache[hash].Type == type && cache[hash].Cell == cell)
        {
            nint cached = cache[hash].Target;
            RuntimeImports.RestoreFlags(flags);
            s_cacheHits++;
            return cached;
        }

        RuntimeImports.RestoreFlags(flags);

        MethodTable* interfaceType = DecodeInterface(cell);
        ushort slot = DecodeSlot(cell);
        nint target = FindImplementation(type, interfaceType, slot);
        if (target == 0)
        {
            RuntimeFailure.Fail(
                "System.EntryPointNotFoundException",
                "No implementation of an interface method was found.",
                "type MethodTable 0x" + ((ulong)type).ToString("X") + ", interface MethodTable 0x" + ((ulong)interfaceType).ToString("X") + ", slot " + slot.ToString());
        }

        if (cache != null)
        {
            flags = RuntimeImports.SaveFlagsAndDisableInterrupts();
            cache[hash].Type = type;
            cache[hash].Cell = cell;
            cache[hash].Target = target;
            RuntimeImports.RestoreFlags(flags);
        }

        return target;
    }

    private static MethodTable* DecodeInterface(DispatchCell* cell)
    {
        nint cacheValue = cell->Cache;
        nint kind = cacheValue & FlagMask;
        if (kind == InterfacePointer)
            return (MethodTable*)(cacheValue & ~FlagMask);

        byte* address = (byte*)&cell->Cache + (int)(cacheValue & ~FlagMask);
        if (kind == InterfaceRelativePointer)
            return (MethodTable*)address;
        if (kind == IndirectedInterfaceRelativePointer)
            return *(MethodTable**)address;

        RuntimeFailure.Fail("InvalidProgram", "Interface dispatch cell with an unknown encoding.", "cell 0x" + ((ulong)cell).ToString("X"));
        return null;
    }

    private static ushort DecodeSlot(DispatchCell* cell)
    {
        while (cell->Stub != 0)
            cell++;
        return (ushort)cell->Cache;
    }

    /// <summary>
    /// Walks from the object's type up the base chain; the first dispatch map entry for (interface, slot)
    /// names the implementing slot: a vtable slot (looked up in the object's own vtable, so overrides win)
    /// or a sealed slot of the type that declared it.
    /// </summary>
    public static nint FindImplementation(MethodTable* objectType, MethodTable* interfaceType, ushort slot)
    {
        for (MethodTable* type = objectType; type != null; type = type->BaseType)
        {
            DispatchMap* map = type->DispatchMap;
            if (map == null)
                continue;

            int entries = map->StandardEntryCount + map->DefaultEntryCount;
            DispatchMapEntry* entry = map->Entries;
            for (int i = 0; i < entries; i++, entry++)
            {
                if (entry->InterfaceMethodSlot != slot || type->GetInterface(entry->InterfaceIndex) != interfaceType)
                    continue;

                int implementation = entry->ImplementationMethodSlot;
                if (implementation < type->NumVtableSlots)
                    return objectType->VTable[implementation];
                return type->GetSealedVirtualSlot(implementation - type->NumVtableSlots);
            }
        }

        return 0;
    }
}
