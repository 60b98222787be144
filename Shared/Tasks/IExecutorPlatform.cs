// What the executor needs from the machine: a clock and a way to sleep until
// something happens. The kernel's platform is the TSC plus Idle.WaitFor
// (Kernel/Tasks/KernelPlatform.cs); host tests use a fake clock and a fake
// interrupt source.
namespace Shared.Tasks;

public interface IExecutorPlatform
{
    /// <summary>A monotonic timestamp.</summary>
    ulong Timestamp { get; }

    /// <summary>Timestamp units per second.</summary>
    ulong TimestampFrequency { get; }

    /// <summary>
    /// Returns once <paramref name="executor"/> has work (Executor.HasWork), sleeping until an interrupt in between.
    /// Called by Run with nothing ready.
    /// </summary>
    void WaitForWork(Executor executor);

    /// <summary>Called once per run-loop iteration before tasks are polled (the kernel reports interrupt events).</summary>
    void BeforePoll();
}
