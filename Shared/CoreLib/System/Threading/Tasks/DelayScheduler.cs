// Where Task.Delay gets its timer. The runtime library has no clock; the
// kernel installs one (Kernel/Tasks/KernelTimers.cs: a timer heap on the APIC
// tick, checked against the TSC) at start-up. Not a .NET type: .NET's
// Task.Delay uses the thread pool's timer queue, which has no place here.
namespace System.Threading.Tasks;

public abstract class DelayScheduler
{
    public static DelayScheduler Current { get; set; }

    /// <summary>A task completed no earlier than <paramref name="milliseconds"/> from now, or canceled with the token.</summary>
    public abstract Task Delay(uint milliseconds, CancellationToken cancellationToken);
}
