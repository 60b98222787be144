// One boot per fault: each test raises a real CPU exception through the
// fault triggers (Kernel/Diagnostics/Faults.cs) and passes only if the
// kernel's report contains the text that proves the right exception was
// decoded the right way. tests/Boot.Tests/ExceptionReportTests.cs reads the
// same boots' serial output for the rest of each report (RIP symbol,
// registers, no triple fault).
using Kernel.Diagnostics;
using Kernel.Interrupts;
using Kernel.Testing;

namespace Kernel.Tests;

internal static class ExceptionFaultTests
{
    [KernelTest(ExpectedPanic = "accessed address (CR2) 0xFFFFF000DEADB000: in the kernel half, not mapped")]
    public static void PageFault_OnUnmappedRead_ReportsTheAddress() => Faults.ReadUnmapped();

    [KernelTest(ExpectedPanic = "accessed address (CR2) 0x0000000000000000: null dereference")]
    public static void PageFault_OnNullDereference_ReportsAddressZero() => Faults.ReadNull();

    [KernelTest(ExpectedPanic = "kernel stack overflow (guard page of the boot stack)")]
    public static void PageFault_InAStackGuardPage_IsReportedAsStackOverflow() => Faults.ReadAddress(InterruptStacks.Boot.GuardPage);

    [KernelTest(ExpectedPanic = "error code 0x11: page present (protection violation), instruction fetch, supervisor mode")]
    public static void PageFault_OnExecutingData_HasTheInstructionFetchBit() => Faults.ExecuteData();

    [KernelTest(ExpectedPanic = "error code 0x3: page present (protection violation), write, supervisor mode")]
    public static void PageFault_OnWritingKernelCode_HasThePresentAndWriteBits() => Faults.WriteKernelCode();

    [KernelTest(ExpectedPanic = "EXCEPTION: DIVIDE ERROR (#DE, vector 0)")]
    public static void DivideError_OnDivisionByZero_IsReported() => Faults.DivideByZero();

    [KernelTest(ExpectedPanic = "EXCEPTION: INVALID OPCODE (#UD, vector 6)")]
    public static void InvalidOpcode_OnUd2_IsReported() => Faults.InvalidOpcode();

    [KernelTest(ExpectedPanic = "EXCEPTION: GENERAL PROTECTION FAULT (#GP, vector 13)")]
    public static void GeneralProtection_OnABadSelector_IsReported() => Faults.LoadBadSelector();

    // The blog's stack_overflow test: unbounded recursion must end in the double-fault handler,
    // running on its own stack, not in a triple fault (a reset).
    [KernelTest(ExpectedPanic = "EXCEPTION: DOUBLE FAULT (#DF, vector 8) on its IST stack (IST1, double-fault stack)")]
    public static void StackOverflow_EndsInTheDoubleFaultHandler_OnItsIstStack() => Faults.OverflowStack();
}
