// Brings the runtime up inside an image before any C# code that allocates or
// touches reference-type statics runs:
//   1. the allocator gets its first memory (a bump region the image reserves),
//   2. every class's reference statics ("GC statics") get their holder object,
//      copied from the data ILCompiler pre-initialized at compile time.
// The entry point of an image calls Initialize and then a separate,
// non-inlined method that does the real work, so that no allocation the C#
// compiler hoists to the top of a method can run before step 2.
using System;
using System.Runtime;

namespace Internal.Runtime;

public static unsafe class Startup
{
    private const int GCStaticRegionSection = 201;
    private const uint ReadyToRunSignature = 0x00525452; // "RTR"
    private const nint Uninitialized = 1;
    private const nint HasPreInitializedData = 2;
    private const nint FlagMask = 3;

    private static bool s_initialized;

    public static bool IsInitialized => s_initialized;

    /// <summary>Sets up the heap and the statics of this image.</summary>
    /// <remarks>The caller guarantees that [heapStart, heapStart + heapSize) is writable memory owned by the runtime from now on.</remarks>
    public static void Initialize(void* heapStart, nuint heapSize)
    {
        RuntimeAllocator.UseBumpRegion(heapStart, heapSize);
        InitializeStatics((byte*)RuntimeImports.ReadyToRunHeader());
        InterfaceDispatch.Initialize();
        s_initialized = true;
    }

    // ReadyToRun header: u32 signature, u16 major, u16 minor, u32 flags, u16 section count,
    // u8 entry size, u8 entry type; then rows of { i32 id, i32 flags, void* start, void* end }.
    private static void InitializeStatics(byte* header)
    {
        if (*(uint*)header != ReadyToRunSignature)
            RuntimeFailure.Fail("Startup", "The ReadyToRun header has a bad signature; the image is damaged.");

        int count = *(ushort*)(header + 12);
        int rowSize = *(byte*)(header + 14);
        byte* row = header + 16;
        for (int i = 0; i < count; i++, row += rowSize)
        {
            if (*(int*)row == GCStaticRegionSection)
                InitializeGCStatics(*(byte**)(row + 8), *(byte**)(row + 16));
        }
    }

    // The region is an array of 32-bit relative pointers to cells. A cell first holds a
    // relative pointer to the MethodTable of the class's statics holder, tagged with flags;
    // once initialized it holds the holder object itself.
    private static void InitializeGCStatics(byte* start, byte* end)
    {
        for (byte* entry = start; entry < end; entry += sizeof(int))
        {
            nint* cell = (nint*)FollowRelative((int*)entry);
            nint tagged = (nint)FollowRelative((int*)cell);
            if ((*(int*)cell & Uninitialized) == 0)
                continue;

            MethodTable* holderType = (MethodTable*)(tagged & ~FlagMask);
            object holder = RuntimeExports.AllocateObject(holderType);
            if ((*(int*)cell & HasPreInitializedData) != 0)
            {
                byte* data = (byte*)FollowRelative((int*)cell + 1);
                Buffer.Memmove(ref holder.GetRawData(), ref *data, holderType->BaseSize - 16);
            }

            *cell = *(nint*)&holder;
        }
    }

    private static void* FollowRelative(int* field) => (byte*)field + *field;
}
