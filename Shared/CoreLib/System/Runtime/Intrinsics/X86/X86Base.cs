// The root of the x86 hardware-intrinsic classes, as .NET's own library names
// it: RyuJIT (inside ILCompiler) recognizes the classes of this namespace by
// name and replaces their methods' bodies with the instruction itself. Every
// x86-64 CPU has these (the kernel is compiled for --instruction-set:x86-64).
using System.Runtime.CompilerServices;

namespace System.Runtime.Intrinsics.X86;

[Intrinsic]
public abstract class X86Base
{
    internal X86Base()
    {
    }

    /// <summary>True on every CPU the kernel runs on; the JIT folds it to a constant.</summary>
    public static bool IsSupported => IsSupported;
}
