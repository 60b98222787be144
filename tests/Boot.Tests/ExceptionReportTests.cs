// The fault reports as a person reads them on the serial console. The kernel
// tests in Kernel/Tests/ExceptionFaultTests.cs each raise one real CPU
// exception and pass on one key line of the report; these tests read the
// rest of the same boots' output (the boots are shared through
// KernelTestSchedule, so this costs no extra boot): the faulting RIP named by
// its kernel function, the decoded error code, the stack, all registers, and
// a clean exit through the test harness rather than a triple-fault reset.
// One more boot checks the release image's fault=<kind> argument.
using System.Text.RegularExpressions;
using Boot.Tests.Harness;
using Xunit;

namespace Boot.Tests;

public sealed class ExceptionReportTests
{
    private const string Hex16 = "0x[0-9A-F]{16}";

    public static TheoryData<string> FaultTests => new()
    {
        "PageFault_OnUnmappedRead_ReportsTheAddress",
        "PageFault_OnNullDereference_ReportsAddressZero",
        "PageFault_InAStackGuardPage_IsReportedAsStackOverflow",
        "PageFault_OnExecutingData_HasTheInstructionFetchBit",
        "PageFault_OnWritingKernelCode_HasThePresentAndWriteBits",
        "DivideError_OnDivisionByZero_IsReported",
        "InvalidOpcode_OnUd2_IsReported",
        "GeneralProtection_OnABadSelector_IsReported",
        "StackOverflow_EndsInTheDoubleFaultHandler_OnItsIstStack",
    };

    [Theory]
    [MemberData(nameof(FaultTests))]
    public async Task EveryFaultReport_ShowsRipRspFlagsAllRegisters_AndEndsTheRunCleanly(string test)
    {
        string report = await ReportOf(test);
        Assert.Matches($@"\n  RIP {Hex16}", report);
        Assert.Matches($@"\n  RSP {Hex16}.*  RFLAGS {Hex16}  CS 0x08  SS 0x10\n", report);
        foreach (string register in new[] { "RAX", "RBX", "RCX", "RDX", "RSI", "RDI", "RBP", "R8 ", "R9 ", "R10", "R11", "R12", "R13", "R14", "R15", "CR0", "CR3", "CR4" })
            Assert.Matches($"  {register} {Hex16}", report);
    }

    [Fact]
    public async Task StackOverflow_Report_NamesTheCause_TheRecursiveFunction_AndTheGuardPage()
    {
        string report = await ReportOf("StackOverflow_EndsInTheDoubleFaultHandler_OnItsIstStack");
        Assert.Contains("cause: kernel stack overflow - the boot stack ran into its guard page", report);
        Assert.Contains("note: the saved RIP is undefined for #DF (an abort)", report);
        Assert.Matches($@"RIP {Hex16} in Kernel\.Diagnostics\.Faults\.Recurse\+0x[0-9a-f]+\n", report);
        Assert.Matches($@"\n  RSP {Hex16} \((boot stack|guard page of the boot stack!)\)", report);
        Assert.Matches(@"possible callers \(code addresses on the stack\): Kernel\.Diagnostics\.Faults\.Recurse\+0x[0-9a-f]+ \(x\d+\)", report);
        Assert.Contains("error code 0x0\n", report);
    }

    [Fact]
    public async Task NullDereference_Report_DecodesTheErrorCode_AndNamesTheReadingFunction()
    {
        string report = await ReportOf("PageFault_OnNullDereference_ReportsAddressZero");
        Assert.Contains("error code 0x0: page not present, read, supervisor mode", report);
        Assert.Matches($@"RIP {Hex16} in cpu_read_u64\+0x0\n", report);
        Assert.Matches(@"possible callers \(code addresses on the stack\): .*Kernel\.Diagnostics\.Faults\.ReadNull\+", report);
    }

    [Fact]
    public async Task NoExecute_Report_ShowsRipAtTheDataAddress_InANoExecutePage()
    {
        string report = await ReportOf("PageFault_OnExecutingData_HasTheInstructionFetchBit");
        Match fault = Regex.Match(report, @"accessed address \(CR2\) (0x[0-9A-F]{16}): in the kernel image, mapped writable, no-execute");
        Assert.True(fault.Success, report);
        Assert.Contains($"RIP {fault.Groups[1].Value} (not in a known kernel function)", report);
        Assert.Matches(@"possible callers \(code addresses on the stack\): Kernel\.Diagnostics\.Faults\.ExecuteData\+", report);
    }

    [Fact]
    public async Task WriteProtect_Report_NamesTheCodeThatWasWrittenAndTheWriter()
    {
        string report = await ReportOf("PageFault_OnWritingKernelCode_HasThePresentAndWriteBits");
        Assert.Matches($@"accessed address \(CR2\) {Hex16}: in the kernel image \(interrupt_stub_000\+0x0\), mapped read-only, executable", report);
        Assert.Matches($@"RIP {Hex16} in Kernel\.Diagnostics\.Faults\.WriteKernelCode\+0x[0-9a-f]+\n", report);
    }

    [Fact]
    public async Task UnmappedRead_Report_DecodesANotPresentRead()
    {
        string report = await ReportOf("PageFault_OnUnmappedRead_ReportsTheAddress");
        Assert.Contains("error code 0x0: page not present, read, supervisor mode", report);
        Assert.Matches($@"RIP {Hex16} in Kernel\.Diagnostics\.Faults\.ReadAddress\+", report);
    }

    [Fact]
    public async Task GeneralProtection_Report_DecodesTheSelectorErrorCode()
    {
        string report = await ReportOf("GeneralProtection_OnABadSelector_IsReported");
        Assert.Contains("error code 0xFFF8: selector 0xFFF8: GDT index 8191\n", report);
        Assert.Matches($@"RIP {Hex16} in cpu_load_ds\+0x0\n", report);
    }

    [Fact]
    public async Task DivideAndInvalidOpcode_Reports_PointAtTheFaultingInstruction()
    {
        // Faults report the instruction that failed: div is 8 bytes into cpu_divide_u64, ud2 is first in cpu_ud2.
        Assert.Matches($@"RIP {Hex16} in cpu_divide_u64\+0x8\n", await ReportOf("DivideError_OnDivisionByZero_IsReported"));
        Assert.Matches($@"RIP {Hex16} in cpu_ud2\+0x0\n", await ReportOf("InvalidOpcode_OnUd2_IsReported"));
    }

    [Fact]
    public async Task ReleaseImage_FaultArgument_PrintsTheReport_AndHalts()
    {
        var options = new BootOptions { Name = "release-fault-pagefault", Esp = Repository.ReleaseEsp, Config = "args = fault=pagefault\n" };
        await using QemuRun run = QemuRun.Start(options);
        await run.WaitForSerialAsync(@"^System halted\.");
        string serial = run.Serial;
        Assert.Contains("[boot] exceptions: GDT, TSS with 3 IST stacks, IDT with 256 vectors", serial);
        Assert.Contains("fault: triggering pagefault (read an unmapped kernel address)", serial);
        Assert.Contains("PANIC: EXCEPTION: PAGE FAULT (#PF, vector 14)", serial);
        Assert.Contains("accessed address (CR2) 0xFFFFF000DEADB000: in the kernel half, not mapped", serial);
        Assert.Matches($@"RIP {Hex16} in Kernel\.Diagnostics\.Faults\.ReadAddress\+", serial);
    }

    /// <summary>The serial output of the boot that ran ExceptionFaultTests.<paramref name="test"/>, from its report on.</summary>
    // A C# exception nobody catches (here: thrown by an interrupt handler, which exceptions may not leave)
    // ends in the panic report with its type, message, why the walk stopped, and a symbolized trace.
    [Fact]
    public async Task UncaughtException_Report_HasTypeMessageAndASymbolizedStackTrace()
    {
        const string name = "ExceptionDispatchTests.ThrowInAnInterruptHandler_EndsInTheFatalReport";
        KernelTestRunResult result = await KernelTestSchedule.ResultFor(KernelTestCatalog.Find(name));
        Assert.True(result.Outcomes[name].Status == KernelTestStatus.Passed, $"{name}: {result.Outcomes[name].Message}\n{result.Tail()}");
        string serial = result.Serial.Replace("\r", "");
        int start = serial.IndexOf("PANIC: System.InvalidOperationException: thrown by an interrupt handler", StringComparison.Ordinal);
        Assert.True(start >= 0, result.Tail());
        string report = serial[start..];
        Assert.Contains("reached an [UnmanagedCallersOnly] entry", report);
        // The handler's call of Throw is a tail call: the trace goes from Throw to the dispatcher.
        Assert.Matches(@"\n   at Kernel\.Tests\.ExceptionDispatchTests\.Throw\+0x[0-9a-f]+\n   at Kernel\.Interrupts\.InterruptDispatcher\.Dispatch\+0x[0-9a-f]+", report);
        Assert.Equal(KernelTestRun.ExitSuccess, result.ExitCode);
    }

    private static async Task<string> ReportOf(string test)
    {
        string name = "ExceptionFaultTests." + test;
        KernelTestRunResult result = await KernelTestSchedule.ResultFor(KernelTestCatalog.Find(name));
        KernelTestOutcome outcome = result.Outcomes[name];
        Assert.True(outcome.Status == KernelTestStatus.Passed, $"{name}: {outcome.Status}: {outcome.Message}\n{result.Tail()}");
        Assert.True(result.ExitCode == KernelTestRun.ExitSuccess, $"{name}: QEMU exit status {result.ExitCode?.ToString() ?? "none"} (a triple fault resets the machine instead of exiting through the test harness)\n{result.Tail()}");
        string serial = result.Serial.Replace("\r", "");
        int start = serial.IndexOf("PANIC: EXCEPTION:", StringComparison.Ordinal);
        Assert.True(start >= 0, $"{name}: no exception report on serial\n{result.Tail()}");
        return serial[start..];
    }
}
