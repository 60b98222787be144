// `gc` and `gc collect`: collector statistics. There is no collector yet:
// this says so and shows what has been allocated (and so leaked) since boot.
// The GC work replaces it with its statistics and a real collection.
using System.Threading.Tasks;
using Internal.Runtime;
using Kernel.Console;

namespace Kernel.Shell.Commands;

public static class GcCommand
{
    public static readonly ShellCommand Command = new("gc", "[collect]", "collector statistics; 'collect' runs one", Run);

    private static Task Run(string arguments)
    {
        if (arguments == "collect")
            KernelConsole.WriteLine("gc: no collector in this kernel yet; nothing was collected");
        else if (arguments.Length != 0)
            KernelConsole.WriteLine("usage: gc [collect]");
        KernelConsole.WriteLine("collections: 0 (no collector); objects allocated since boot: " + RuntimeAllocator.AllocationCount.ToString()
            + ", " + (RuntimeAllocator.AllocatedBytes / 1024).ToString() + " KiB, none freed");
        return Task.CompletedTask;
    }
}
