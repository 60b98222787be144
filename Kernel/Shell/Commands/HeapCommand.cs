// `heap`: the runtime allocator's counters (today a bump region that never
// frees). The heap work replaces this with its allocator's statistics.
using System.Threading.Tasks;
using Internal.Runtime;
using Kernel.Console;

namespace Kernel.Shell.Commands;

public static class HeapCommand
{
    public static readonly ShellCommand Command = new("heap", "", "allocator statistics", Run);

    private static Task Run(string arguments)
    {
        KernelConsole.WriteLine("allocations: " + RuntimeAllocator.AllocationCount.ToString() + ", "
            + (RuntimeAllocator.AllocatedBytes / 1024).ToString() + " KiB allocated");
        KernelConsole.WriteLine("bump region: " + ((ulong)RuntimeAllocator.BumpUsed / 1024).ToString() + " KiB used, "
            + ((ulong)RuntimeAllocator.BumpRemaining / 1024).ToString() + " KiB free");
        return Task.CompletedTask;
    }
}
