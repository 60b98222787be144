// What the kernel learned at boot, kept for the rest of its life.
using Shared.Boot;

namespace Kernel;

public static unsafe class KernelState
{
    private static BootInfo* s_bootInfo;

    public static BootInfo* BootInfo => s_bootInfo;

    public static ulong PhysicalMemoryOffset => s_bootInfo->PhysicalMemoryOffset;

    public static void Initialize(BootInfo* bootInfo) => s_bootInfo = bootInfo;

    /// <summary>Total bytes of usable and boot-reclaimable RAM in the memory map.</summary>
    public static ulong UsableMemoryBytes
    {
        get
        {
            ulong total = 0;
            for (ulong i = 0; i < s_bootInfo->MemoryRegionCount; i++)
            {
                MemoryRegion region = s_bootInfo->MemoryRegions[i];
                if (region.Kind == MemoryRegionKind.Usable || region.Kind == MemoryRegionKind.BootReclaimable)
                    total += region.Length;
            }

            return total;
        }
    }

    /// <summary>The free-form kernel arguments from the loader's config file.</summary>
    public static string Arguments
    {
        get
        {
            byte* arguments = s_bootInfo->Config.Arguments;
            int length = 0;
            while (length < BootConfig.ArgumentsCapacity && arguments[length] != 0)
                length++;
            char* buffer = stackalloc char[length + 1];
            for (int i = 0; i < length; i++)
                buffer[i] = (char)arguments[i];
            return new string(buffer, 0, length);
        }
    }
}
