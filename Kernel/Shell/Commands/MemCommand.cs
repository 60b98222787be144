// `mem`: physical memory and the kernel's own page-table frames, as far as
// the memory manager exists today (usable RAM from the loader's map, the
// page-table frame pool). The paging work replaces this with frame and
// address-space region statistics.
using System.Threading.Tasks;
using Kernel.Console;
using Kernel.Memory;

namespace Kernel.Shell.Commands;

public static class MemCommand
{
    public static readonly ShellCommand Command = new("mem", "", "physical memory and page-table frames", Run);

    private static Task Run(string arguments)
    {
        KernelConsole.WriteLine("usable RAM: " + (KernelState.UsableMemoryBytes / 1024).ToString() + " KiB");
        KernelConsole.WriteLine("page-table frames: " + PageTableFramePool.Used.ToString() + " used of " + PageTableFramePool.Capacity.ToString());
        return Task.CompletedTask;
    }
}
