// Cache prefetch hints for the mark loop, which otherwise waits on the cache
// miss of every header it reads (see MarkSweepCollector.Drain).
#if !TESSERA_CORELIB
using System.Runtime.Intrinsics.X86;
#endif

namespace Shared.Gc;

internal static unsafe class Prefetch
{
    /// <summary>Asks the CPU to bring the line holding <paramref name="address"/> into the cache.</summary>
    /// <remarks>A hint: it never faults, whatever the address.</remarks>
    public static void Line(nuint address)
    {
#if !TESSERA_CORELIB
        Sse.Prefetch0((void*)address);
#endif
    }
}
