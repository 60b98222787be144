// The SSE instructions the kernel uses, named as .NET's own library names them
// so that RyuJIT (inside ILCompiler) emits the instruction in place of the
// call. Only what is needed: the cache prefetch hints of the collector's mark
// loop (Shared/Gc/Prefetch.cs). The bodies call themselves, as .NET's do: the
// JIT never compiles them as written (tests/Host.Tests/Gc/KernelImageLayoutTests
// checks the built kernel holds prefetcht0 and no such call).
using System.Runtime.CompilerServices;

namespace System.Runtime.Intrinsics.X86;

[Intrinsic]
public abstract class Sse : X86Base
{
    internal Sse()
    {
    }

    /// <summary>True on every CPU the kernel runs on; the JIT folds it to a constant.</summary>
    public static new bool IsSupported => IsSupported;

    /// <summary>prefetcht0: a hint to bring the line of <paramref name="address"/> into every cache level; never faults.</summary>
    [Intrinsic]
    public static unsafe void Prefetch0(void* address) => Prefetch0(address);
}
