// Every range of physical memory the loader hands to the kernel (image, page
// tables, stack, boot info, framebuffer), recorded so the memory map it passes
// on marks them with their purpose instead of "loader data".
using Internal.Runtime;
using Shared.Boot;

namespace Efi;

internal static unsafe class Claims
{
    /// <summary>The most claims there can be (page-table pools are the only open-ended kind: 128 pages each).</summary>
    public const int Capacity = 64;

    private static MemoryRegion* s_claims;
    private static int s_count;

    public static int Count => s_count;

    public static MemoryRegion Get(int index) => s_claims[index];

    public static void Add(ulong start, ulong length, MemoryRegionKind kind)
    {
        if (s_claims == null)
            s_claims = (MemoryRegion*)RuntimeAllocator.AllocateZeroed((nuint)(sizeof(MemoryRegion) * Capacity));
        if (s_count == Capacity)
            RuntimeFailure.Fail("loader", "too many memory claims (raise Claims.Capacity)");
        s_claims[s_count++] = new MemoryRegion { Start = start, Length = length, Kind = kind };
    }

    /// <summary>Adds every claim to <paramref name="builder"/>; false when its scratch space runs out.</summary>
    public static bool AddTo(ref MemoryMapBuilder builder)
    {
        for (int i = 0; i < s_count; i++)
        {
            if (!builder.Add(s_claims[i].Start, s_claims[i].Length, s_claims[i].Kind))
                return false;
        }

        return true;
    }
}
