// The executor's view of the machine: time is the TSC (calibrated at boot),
// and waiting for work is Idle.WaitFor - sti; hlt until an interrupt makes
// Executor.HasWork true. The APIC tick wakes the CPU every period, which is
// how a due timer is noticed: a Delay ends at most one tick after its
// deadline. Each run-loop iteration also reports what interrupt handlers only
// counted (APIC errors, stray 8259 interrupts), as the old main loop did.
using Kernel.Interrupts.Apic;
using Kernel.Time;
using Shared.Tasks;

namespace Kernel.Tasks;

public sealed unsafe class KernelPlatform : IExecutorPlatform
{
    public ulong Timestamp => TimeStampCounter.Read();

    public ulong TimestampFrequency => TimeStampCounter.FrequencyHz;

    private static Executor s_waiting;

    public void WaitForWork(Executor executor)
    {
        s_waiting = executor;
        Idle.WaitFor(&HasWork);
    }

    public void BeforePoll() => InterruptControllers.ReportEvents();

    private static bool HasWork() => s_waiting.HasWork || InterruptControllers.HasEventsToReport;
}
