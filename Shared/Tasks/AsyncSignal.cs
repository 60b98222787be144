// An event an interrupt handler raises and one task awaits: the bridge from
// "a byte arrived" (keyboard IRQ1, COM1 IRQ4) to "the task reading keys runs".
// Set is lock-free and allocation-free (a flag and the waiter's Waker), so
// handlers may call it. The signal remembers a Set that found nobody
// waiting, so a wait after it completes at once (auto-reset, like
// AutoResetEvent). One task waits at a time; like a condition variable, a
// wait may also end early (cancellation, another signal of the same task), so
// waiters re-check their condition in a loop.
using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Shared.Tasks;

public sealed class AsyncSignal
{
    private int _set;
    private Waker _waiter;

    /// <summary>Signals the waiter (or the next one). Interrupt-safe; allocates nothing.</summary>
    public void Set()
    {
        Volatile.Write(ref _set, 1);
        _waiter?.Wake(); // a reference read is atomic; x86 does not reorder it before the flag write
    }

    public bool IsSet => Volatile.Read(ref _set) != 0;

    /// <summary>Awaits the next Set (completes at once, consuming it, if one is pending).</summary>
    public Awaitable WaitAsync() => new(this);

    public readonly struct Awaitable
    {
        private readonly AsyncSignal _signal;

        internal Awaitable(AsyncSignal signal) => _signal = signal;

        public Awaiter GetAwaiter() => new(_signal);
    }

    public readonly struct Awaiter : ICriticalNotifyCompletion
    {
        private readonly AsyncSignal _signal;

        internal Awaiter(AsyncSignal signal) => _signal = signal;

        public bool IsCompleted => Interlocked.Exchange(ref _signal._set, 0) != 0;

        public void OnCompleted(Action continuation) => UnsafeOnCompleted(continuation);

        public void UnsafeOnCompleted(Action continuation)
        {
            ExecutorTask task = ExecutorTask.CurrentTask ?? throw new InvalidOperationException("an AsyncSignal can only be awaited inside an executor task");
            task.Park(continuation);
            _signal._waiter = task.Waker;
            if (Volatile.Read(ref _signal._set) != 0)
                task.Waker.Wake(); // set between IsCompleted and here: do not sleep through it
        }

        public void GetResult() => Interlocked.Exchange(ref _signal._set, 0);
    }
}
