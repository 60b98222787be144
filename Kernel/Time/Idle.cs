// Waiting for work without burning the CPU and without the lost-wake-up race.
// The naive "if (nothing to do) hlt" can miss an interrupt that arrives
// between the check and the hlt and then sleep until the next one. Instead:
// interrupts off, check, then sti; hlt - sti delays interrupt delivery by one
// instruction, so an interrupt pending at that point wakes the hlt instead
// of being handled before it.
using Kernel.Arch;

namespace Kernel.Time;

public static unsafe class Idle
{
    /// <summary>
    /// Returns once <paramref name="hasWork"/> is true, halting between interrupts while it is false. The caller
    /// must have an interrupt source that can make it true (or this waits forever). Leaves interrupts enabled.
    /// </summary>
    public static void WaitFor(delegate*<bool> hasWork)
    {
        while (true)
        {
            Cpu.DisableInterrupts();
            if (hasWork())
            {
                Cpu.EnableInterrupts();
                return;
            }

            Cpu.EnableInterruptsAndHalt();
        }
    }
}
