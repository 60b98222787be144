// The 32 vectors the CPU reserves for exceptions (Intel SDM vol. 3, 6.3.1;
// AMD APM vol. 2, 8.2). The rest, 32..255, are for interrupts the kernel
// assigns (APIC, IOAPIC, IPIs).
namespace Kernel.Arch;

public enum ExceptionVector : byte
{
    DivideError = 0,
    Debug = 1,
    NonMaskableInterrupt = 2,
    Breakpoint = 3,
    Overflow = 4,
    BoundRangeExceeded = 5,
    InvalidOpcode = 6,
    DeviceNotAvailable = 7,
    DoubleFault = 8,
    CoprocessorSegmentOverrun = 9,
    InvalidTss = 10,
    SegmentNotPresent = 11,
    StackSegmentFault = 12,
    GeneralProtection = 13,
    PageFault = 14,
    X87FloatingPoint = 16,
    AlignmentCheck = 17,
    MachineCheck = 18,
    SimdFloatingPoint = 19,
    Virtualization = 20,
    ControlProtection = 21,
    HypervisorInjection = 28,
    VmmCommunication = 29,
    Security = 30,
}
