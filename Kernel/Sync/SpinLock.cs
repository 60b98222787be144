// A spinlock that is safe against interrupt handlers: acquiring it saves the
// interrupt flag and disables interrupts, releasing it restores the flag. So
// an interrupt handler can take the same lock without deadlocking on the CPU
// it interrupted (it cannot have interrupted a holder), and a holder is never
// preempted. Waiting is bounded: a lock still taken after SpinLimit tries is
// a deadlock (most often the holder itself re-entering, e.g. a fault report
// printed from inside the console), and the kernel panics saying which lock,
// instead of hanging silently.
//
//   using (s_lock.Acquire())
//   {
//       ... interrupts are off here ...
//   }
using System.Runtime.CompilerServices;
using System.Threading;
using Kernel.Arch;
using Kernel.Diagnostics;

namespace Kernel.Sync;

public sealed class SpinLock
{
    /// <summary>About a few seconds of spinning on real hardware and under QEMU: far beyond any legitimate hold.</summary>
    public const long DefaultSpinLimit = 1L << 27;

    private readonly long _spinLimit;
    private int _held;

    public SpinLock(string name, long spinLimit = DefaultSpinLimit)
    {
        Name = name;
        _spinLimit = spinLimit;
    }

    public string Name { get; }

    public bool IsHeld => Volatile.Read(ref _held) != 0;

    /// <summary>Disables interrupts, then waits for the lock. Dispose the result to release it and restore interrupts.</summary>
    /// <remarks>Inlined (the uncontended case is one locked instruction); waiting is out of line.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Guard Acquire()
    {
        InterruptGuard interrupts = Cpu.DisableInterruptsScoped();
        if (Interlocked.CompareExchange(ref _held, 1, 0) != 0)
            SpinUntilAcquired();
        return new Guard(this, interrupts);
    }

    /// <summary>Takes the lock only if it is free; on failure interrupts are back as they were.</summary>
    public bool TryAcquire(out Guard guard)
    {
        InterruptGuard interrupts = Cpu.DisableInterruptsScoped();
        if (Interlocked.CompareExchange(ref _held, 1, 0) == 0)
        {
            guard = new Guard(this, interrupts);
            return true;
        }

        interrupts.Dispose();
        guard = default;
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Release()
    {
        // Only the holder releases, so a read and a release store suffice (x86 keeps stores in order):
        // no second locked instruction per critical section.
        if (Volatile.Read(ref _held) == 0)
            FailNotHeld();
        Volatile.Write(ref _held, 0);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void SpinUntilAcquired()
    {
        for (long spins = 1; Interlocked.CompareExchange(ref _held, 1, 0) != 0; spins++)
        {
            if (spins == _spinLimit)
                Panic.Fail("deadlock: spinlock '" + Name + "' is still held after " + _spinLimit.ToString() + " tries");
            Cpu.Pause();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void FailNotHeld() => Panic.Fail("spinlock '" + Name + "' released while not held");

    /// <summary>Holds the lock (and interrupts off) until disposed.</summary>
    public ref struct Guard
    {
        private SpinLock _lock;
        private InterruptGuard _interrupts;

        internal Guard(SpinLock owner, InterruptGuard interrupts)
        {
            _lock = owner;
            _interrupts = interrupts;
        }

        /// <summary>Releases the lock, then restores the interrupt flag saved by Acquire. A second call does nothing.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Dispose()
        {
            SpinLock owner = _lock;
            if (owner is null)
                return;
            _lock = null;
            owner.Release();
            _interrupts.Dispose();
        }
    }
}
