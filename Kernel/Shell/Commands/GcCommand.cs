// `gc` and `gc collect`: the garbage collector's statistics (collections,
// pauses, live and freed bytes); `collect` runs a full collection first.
using System.Threading;
using System.Threading.Tasks;
using Kernel.Console;
using Kernel.Memory.Gc;

namespace Kernel.Shell.Commands;

public static class GcCommand
{
    public static readonly ShellCommand Command = new("gc", "[collect]", "collector statistics; 'collect' runs one", Run);

    private static Task Run(string arguments, CancellationToken cancellationToken)
    {
        if (arguments == "collect")
            KernelConsole.WriteLine(GarbageCollector.Collect() ? "gc: collected" : "gc: collection deferred (interrupts off or already collecting)");
        else if (arguments.Length != 0)
            KernelConsole.WriteLine("usage: gc [collect]");
        KernelConsole.WriteLine("gc: " + GarbageCollector.Statistics.Describe());
        return Task.CompletedTask;
    }
}
