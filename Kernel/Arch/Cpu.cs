// The processor's state the kernel reads and changes: interrupt flag, halt,
// time-stamp counter, CPUID, and the QEMU exit device used by test images.
using Shared.Memory;

namespace Kernel.Arch;

public static unsafe class Cpu
{
    private const ulong InterruptFlag = 1UL << 9;

    public static bool InterruptsEnabled => (Flags & InterruptFlag) != 0;

    /// <summary>RFLAGS as it is now.</summary>
    public static ulong Flags => Native.ReadRflags();

    /// <summary>RSP at the call: where the current stack is.</summary>
    public static VirtualAddress StackPointer => VirtualAddress.Truncate(Native.ReadRsp());

    public static void DisableInterrupts() => Native.DisableInterrupts();

    public static void EnableInterrupts() => Native.EnableInterrupts();

    /// <summary>Waits for the next interrupt with interrupts enabled (sti; hlt has no lost wake-up window).</summary>
    public static void EnableInterruptsAndHalt() => Native.EnableInterruptsAndHalt();

    public static void Halt() => Native.Halt();

    /// <summary>Stops this CPU for good: interrupts off, hlt forever.</summary>
    public static void HaltForever() => Native.HaltForever();

    public static void Pause() => Native.Pause();

    public static void Breakpoint() => Native.Breakpoint();

    public static ulong ReadTimeStampCounter() => Native.ReadTsc();

    public static CpuidResult Cpuid(uint leaf, uint subleaf = 0)
    {
        CpuidResult result;
        Native.Cpuid(leaf, subleaf, &result);
        return result;
    }

    /// <summary>Disables interrupts and returns a token that restores the previous state when disposed.</summary>
    public static InterruptGuard DisableInterruptsScoped() => new(Native.SaveFlagsAndDisableInterrupts());
}

/// <summary>Restores the interrupt flag saved by Cpu.DisableInterruptsScoped (use with 'using').</summary>
public readonly struct InterruptGuard : System.IDisposable
{
    private readonly ulong _flags;

    internal InterruptGuard(ulong flags) => _flags = flags;

    public bool WereEnabled => (_flags & (1UL << 9)) != 0;

    public void Dispose() => Native.RestoreFlags(_flags);
}
