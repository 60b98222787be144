// Cache prefetch hints for the mark loop, which otherwise waits on the cache
// miss of every header it reads (see MarkSweepCollector.Drain). Sse.Prefetch0
// is .NET's on the host and Shared/CoreLib's in the kernel; in both, RyuJIT
// turns it into one prefetcht0 instruction. (QEMU's TCG executes prefetches
// as no-ops, so under TCG the kernel gains nothing from it.)
using System.Runtime.Intrinsics.X86;

namespace Shared.Gc;

internal static unsafe class Prefetch
{
    /// <summary>Asks the CPU to bring the line holding <paramref name="address"/> into the cache.</summary>
    /// <remarks>A hint: it never faults, whatever the address.</remarks>
    public static void Line(nuint address) => Sse.Prefetch0((void*)address);
}
