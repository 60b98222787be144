// `mem`: physical frames (the frame allocator's counts by use) and the
// kernel's address space, one line per region it maps.
using System.Threading;
using System.Threading.Tasks;
using Kernel.Console;
using Kernel.Memory;

namespace Kernel.Shell.Commands;

public static class MemCommand
{
    public static readonly ShellCommand Command = new("mem", "", "physical frames and address-space regions", Run);

    private static Task Run(string arguments, CancellationToken cancellationToken)
    {
        KernelConsole.WriteLine("frames: " + FrameAllocator.Describe());
        KernelConsole.WriteLine(KernelAddressSpaceRegions.Describe());
        return Task.CompletedTask;
    }
}
