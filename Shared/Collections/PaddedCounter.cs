// A 32-bit counter alone on its 64-byte cache line, so that two counters
// written by different CPUs (a ring's head and tail) do not share a line and
// make it bounce between the CPUs' caches ("false sharing"). Not nested in
// the generic ring: the runtime refuses explicit layout on generic types.
using System.Runtime.InteropServices;

namespace Shared.Collections;

[StructLayout(LayoutKind.Explicit, Size = 64)]
internal struct PaddedCounter
{
    [FieldOffset(0)]
    public uint Value;
}
