// The kernel's one executor (one CPU runs tasks) and its start-up: after
// the banner, KernelMain calls Start, which spawns the system tasks - input
// (decodes what the keyboard and COM1 handlers queued), the shell and the
// clock - and runs them for ever. Task.Delay reaches the executor's timer
// heap through the DelayScheduler installed here.
using System;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Kernel.Diagnostics;
using Kernel.Input;
using Kernel.Time;
using Shared.Tasks;

namespace Kernel.Tasks;

public static class KernelExecutor
{
    /// <summary>Ready-queue entries: more wakes than this at once take the (slower) overflow sweep.</summary>
    public const int ReadyQueueCapacity = 256;

    private static Executor s_instance;

    /// <summary>The executor (null before Initialize).</summary>
    public static Executor Instance => s_instance;

    /// <summary>
    /// Creates the executor and makes Task.Delay use its timers, which run on the TSC. On a machine without a
    /// reference clock the TSC stays uncalibrated: tasks still run, but a delay cannot be measured, so it ends
    /// at the next poll, and the clock task is not started (the boot log says so).
    /// </summary>
    public static string Initialize()
    {
        s_instance = new Executor(new KernelPlatform(), ReadyQueueCapacity);
        DelayScheduler.Current = new ExecutorDelayScheduler();
        Uptime.MarkBoot(TimeStampCounter.Read());
        if (!TimeStampCounter.IsCalibrated)
            return "warning: ready queue of " + ReadyQueueCapacity.ToString() + ", but the TSC is not calibrated: delays end at once and there is no clock";
        return "ready queue of " + ReadyQueueCapacity.ToString() + ", timers on the TSC, woken by the APIC tick";
    }

    /// <summary>Spawns the system tasks and runs the executor; never returns.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Start()
    {
        KeyStream.StartInputTask();
        if (Drivers.KeyboardEcho.IsEnabled)
            s_instance.Spawn("key-trace", DrainKeysAsync); // the trace prints every key event; a shell would interleave with it
        else
            s_instance.Spawn("shell", Shell.Shell.RunAsync);
        if (TimeStampCounter.IsCalibrated)
            s_instance.Spawn("clock", ClockTask.RunAsync);
        s_instance.Run();
    }

    private static async Task DrainKeysAsync()
    {
        while (true)
            await KeyStream.ReadAsync();
    }

    /// <summary>The running task's name for panic reports ("none" outside tasks).</summary>
    public static string CurrentTaskDescription()
    {
        ExecutorTask task = ExecutorTask.CurrentTask;
        return task is null ? null : "task " + task.Id.ToString() + " '" + task.Name + "'";
    }

    private sealed class ExecutorDelayScheduler : DelayScheduler
    {
        public override Task Delay(uint milliseconds, CancellationToken cancellationToken) => s_instance.Delay(milliseconds, cancellationToken);
    }
}
