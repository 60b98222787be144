// Every range of physical memory the loader hands to the kernel (image, page
// tables, stack, boot info), recorded so the memory map it passes on marks
// them with their purpose instead of "loader data".
using Shared.Boot;

namespace Efi;

internal static unsafe class Claims
{
    private const int Capacity = 64;
    private static MemoryRegion* s_claims;
    private static int s_count;

    public static int Count => s_count;

    public static MemoryRegion Get(int index) => s_claims[index];

    public static void Add(ulong start, ulong length, MemoryRegionKind kind)
    {
        if (s_claims == null)
            s_claims = (MemoryRegion*)Internal.Runtime.RuntimeAllocator.AllocateZeroed((nuint)(sizeof(MemoryRegion) * Capacity));
        if (s_count == Capacity)
            Internal.Runtime.RuntimeFailure.Fail("loader", "too many memory claims (raise Claims.Capacity)");
        s_claims[s_count++] = new MemoryRegion { Start = start, Length = length, Kind = kind };
    }
}
