// The bootstrap processor's task state segment. Each CPU needs its own TSS
// (and its own IST stacks) once the other processors are started; this one
// belongs to the CPU the kernel boots on.
using System.Runtime.CompilerServices;

namespace Kernel.Arch;

public static unsafe class Tss
{
    // In the image's data section: the task register refers to it for the kernel's lifetime.
    private static TaskStateSegment s_bootProcessor;

    public static TaskStateSegment* BootProcessor => (TaskStateSegment*)Unsafe.AsPointer(ref s_bootProcessor);
}
