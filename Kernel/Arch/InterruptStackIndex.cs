// Which interrupt stack table entry an IDT gate uses. Zero means "stay on
// the current stack" (or RSP0 on a ring change). Faults that can happen
// because the current stack is broken get their own: a double fault after a
// stack overflow, an NMI or machine check that can arrive at any instruction
// (even between a syscall's entry and its stack switch, once there is one).
namespace Kernel.Arch;

public enum InterruptStackIndex : byte
{
    None = 0,
    DoubleFault = 1,
    NonMaskableInterrupt = 2,
    MachineCheck = 3,
}
