// What the kernel knows about each of the 32 exception vectors: the name a
// report prints, the mnemonic, and which error code the CPU pushes.
using Kernel.Arch;

namespace Kernel.Interrupts;

public enum ErrorCodeKind
{
    /// <summary>The CPU pushes none (the stub pushed 0).</summary>
    None,

    /// <summary>Always 0 (double fault).</summary>
    Zero,
    Selector,
    PageFault,

    /// <summary>Defined by the exception (alignment check: 0; control protection: the kind of violation).</summary>
    Other,
}

public readonly struct ExceptionInfo
{
    private ExceptionInfo(string name, string mnemonic, ErrorCodeKind errorCode, InterruptStackIndex stack)
    {
        Name = name;
        Mnemonic = mnemonic;
        ErrorCode = errorCode;
        Stack = stack;
    }

    /// <summary>Upper-case name, as reports print it: "PAGE FAULT".</summary>
    public string Name { get; }

    /// <summary>"#PF", or "" for vectors without one.</summary>
    public string Mnemonic { get; }

    public ErrorCodeKind ErrorCode { get; }

    /// <summary>The IST stack the IDT gives this vector (Idt.Load), None for the current stack.</summary>
    public InterruptStackIndex Stack { get; }

    public static ExceptionInfo For(int vector) => (ExceptionVector)vector switch
    {
        ExceptionVector.DivideError => new("DIVIDE ERROR", "#DE", ErrorCodeKind.None, InterruptStackIndex.None),
        ExceptionVector.Debug => new("DEBUG", "#DB", ErrorCodeKind.None, InterruptStackIndex.None),
        ExceptionVector.NonMaskableInterrupt => new("NON-MASKABLE INTERRUPT", "NMI", ErrorCodeKind.None, InterruptStackIndex.NonMaskableInterrupt),
        ExceptionVector.Breakpoint => new("BREAKPOINT", "#BP", ErrorCodeKind.None, InterruptStackIndex.None),
        ExceptionVector.Overflow => new("OVERFLOW", "#OF", ErrorCodeKind.None, InterruptStackIndex.None),
        ExceptionVector.BoundRangeExceeded => new("BOUND RANGE EXCEEDED", "#BR", ErrorCodeKind.None, InterruptStackIndex.None),
        ExceptionVector.InvalidOpcode => new("INVALID OPCODE", "#UD", ErrorCodeKind.None, InterruptStackIndex.None),
        ExceptionVector.DeviceNotAvailable => new("DEVICE NOT AVAILABLE", "#NM", ErrorCodeKind.None, InterruptStackIndex.None),
        ExceptionVector.DoubleFault => new("DOUBLE FAULT", "#DF", ErrorCodeKind.Zero, InterruptStackIndex.DoubleFault),
        ExceptionVector.CoprocessorSegmentOverrun => new("COPROCESSOR SEGMENT OVERRUN", "", ErrorCodeKind.None, InterruptStackIndex.None),
        ExceptionVector.InvalidTss => new("INVALID TSS", "#TS", ErrorCodeKind.Selector, InterruptStackIndex.None),
        ExceptionVector.SegmentNotPresent => new("SEGMENT NOT PRESENT", "#NP", ErrorCodeKind.Selector, InterruptStackIndex.None),
        ExceptionVector.StackSegmentFault => new("STACK-SEGMENT FAULT", "#SS", ErrorCodeKind.Selector, InterruptStackIndex.None),
        ExceptionVector.GeneralProtection => new("GENERAL PROTECTION FAULT", "#GP", ErrorCodeKind.Selector, InterruptStackIndex.None),
        ExceptionVector.PageFault => new("PAGE FAULT", "#PF", ErrorCodeKind.PageFault, InterruptStackIndex.None),
        ExceptionVector.X87FloatingPoint => new("X87 FLOATING-POINT EXCEPTION", "#MF", ErrorCodeKind.None, InterruptStackIndex.None),
        ExceptionVector.AlignmentCheck => new("ALIGNMENT CHECK", "#AC", ErrorCodeKind.Other, InterruptStackIndex.None),
        ExceptionVector.MachineCheck => new("MACHINE CHECK", "#MC", ErrorCodeKind.None, InterruptStackIndex.MachineCheck),
        ExceptionVector.SimdFloatingPoint => new("SIMD FLOATING-POINT EXCEPTION", "#XM", ErrorCodeKind.None, InterruptStackIndex.None),
        ExceptionVector.Virtualization => new("VIRTUALIZATION EXCEPTION", "#VE", ErrorCodeKind.None, InterruptStackIndex.None),
        ExceptionVector.ControlProtection => new("CONTROL PROTECTION EXCEPTION", "#CP", ErrorCodeKind.Other, InterruptStackIndex.None),
        ExceptionVector.HypervisorInjection => new("HYPERVISOR INJECTION EXCEPTION", "#HV", ErrorCodeKind.None, InterruptStackIndex.None),
        ExceptionVector.VmmCommunication => new("VMM COMMUNICATION EXCEPTION", "#VC", ErrorCodeKind.Other, InterruptStackIndex.None),
        ExceptionVector.Security => new("SECURITY EXCEPTION", "#SX", ErrorCodeKind.Other, InterruptStackIndex.None),
        _ => new("RESERVED EXCEPTION", "", ErrorCodeKind.None, InterruptStackIndex.None),
    };
}
