// Key presses as an async stream: `KeyPress? key = await KeyStream.ReadAsync(token)`.
// Keyboard and serial both feed it. The path of a key:
//
//   IRQ1 / IRQ4 handler: raw byte into its SPSC ring, then NotifyFromInterrupt
//     sets s_interrupt (an AsyncSignal: a flag plus a Waker push, no locks)
//   "input" task: wakes, runs InputPump (scancode and terminal decoding into
//     ConsoleInput's queue of 256 key presses), sets s_keys
//   the reader (the shell): wakes, takes the key.
//
// Decoding happens in its own task so that typing during a long command is
// kept (up to ConsoleInput's queue size) while the reader is busy; beyond
// that, keys are dropped with the pump's rate-limited warning.
//
// One reader at a time. Cancellation ends a read with null instead of
// throwing.
//
// Ctrl-C during a shell command: the shell names the command's
// CancellationTokenSource with CancelOnCtrlC; ConsoleInput then keeps Ctrl-C
// out of the key queue and the input task cancels the source (in task
// context: cancellation runs callbacks, which an interrupt handler must not).
using System;
using System.Threading;
using System.Threading.Tasks;
using Kernel.Tasks;
using Kernel.Time;
using Shared.Console;
using Shared.Tasks;

namespace Kernel.Input;

public static class KeyStream
{
    private static readonly AsyncSignal s_interrupt = new();
    private static readonly AsyncSignal s_keys = new();
    private static readonly Action<object> s_wake = static state => ((Waker)state).Wake();
    private static ExecutorTask s_inputTask;
    private static CancellationTokenSource s_ctrlCTarget;
    private static ulong s_interruptTimestamp;
    private static ulong s_lastLatency;

    /// <summary>TSC cycles from the last input interrupt to the reader resuming with its key (0 before the first).</summary>
    public static ulong LastLatencyCycles => s_lastLatency;

    /// <summary>Called by the keyboard and COM1 interrupt handlers after queueing a byte. Lock-free.</summary>
    public static void NotifyFromInterrupt()
    {
        s_interruptTimestamp = TimeStampCounter.Read();
        s_interrupt.Set();
    }

    /// <summary>
    /// While <paramref name="target"/> is set, a Ctrl-C typed is not a key: it cancels <paramref name="target"/> (the
    /// shell's running command). Null stops that. Task context only.
    /// </summary>
    public static void CancelOnCtrlC(CancellationTokenSource target)
    {
        s_ctrlCTarget = target;
        ConsoleInput.InterceptCtrlC = target is not null;
    }

    /// <summary>Spawns the task that decodes queued input, once: later calls return the same task (tests share it).</summary>
    public static ExecutorTask StartInputTask() => s_inputTask ??= KernelExecutor.Instance.Spawn("input", RunInputAsync);

    public static bool TryRead(out KeyPress key) => ConsoleInput.TryReadKey(out key);

    /// <summary>The next key press; null when <paramref name="cancellationToken"/> is canceled first.</summary>
    public static ValueTask<KeyPress?> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (ConsoleInput.TryReadKey(out KeyPress key))
            return new ValueTask<KeyPress?>(key);
        return ReadSlowAsync(cancellationToken);
    }

    private static async ValueTask<KeyPress?> ReadSlowAsync(CancellationToken cancellationToken)
    {
        ExecutorTask task = ExecutorTask.CurrentTask;
        if (task is null)
            throw new InvalidOperationException("KeyStream.ReadAsync needs to run in an executor task");
        using CancellationTokenRegistration registration = cancellationToken.Register(s_wake, task.Waker);
        while (true)
        {
            if (ConsoleInput.TryReadKey(out KeyPress key))
            {
                s_lastLatency = TimeStampCounter.Read() - s_interruptTimestamp;
                return key;
            }

            if (cancellationToken.IsCancellationRequested)
                return null;
            await s_keys.WaitAsync();
        }
    }

    private static async Task RunInputAsync()
    {
        while (true)
        {
            await s_interrupt.WaitAsync();
            InputPump.Pump();
            if (ConsoleInput.TakeInterceptedCtrlC())
                s_ctrlCTarget?.Cancel();
            if (ConsoleInput.Queue.Count != 0)
                s_keys.Set();
        }
    }
}
