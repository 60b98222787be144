// `heap`: the kernel heap's statistics (design, size, used and free bytes,
// largest free block, counts, allocations per size class).
using System.Threading;
using System.Threading.Tasks;
using Kernel.Console;
using Kernel.Memory.Heap;

namespace Kernel.Shell.Commands;

public static class HeapCommand
{
    public static readonly ShellCommand Command = new("heap", "", "heap statistics", Run);

    private static Task Run(string arguments, CancellationToken cancellationToken)
    {
        KernelConsole.Write(KernelHeap.Statistics.Describe());
        return Task.CompletedTask;
    }
}
