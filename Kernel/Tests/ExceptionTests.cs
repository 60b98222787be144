// Kernel tests of exception handling that leave the kernel running: the
// descriptor tables as the CPU sees them, IST stacks and guard pages, the
// interrupt round trip (a handler's view of the frame, full state
// preservation), breakpoints resuming, the symbol table and the report text.
// The tests that end the kernel with a fault report are in ExceptionFaultTests.cs.
using System;
using Kernel.Arch;
using Kernel.Diagnostics;
using Kernel.Interrupts;
using Kernel.Memory;
using Kernel.Testing;
using Shared.Boot;
using Shared.Memory;

namespace Kernel.Tests;

internal static unsafe class ExceptionTests
{
    private static ulong s_lastVector;
    private static ulong s_lastCs;
    private static double s_scratch;

    [KernelTest]
    public static void Breakpoint_Int3_IsReportedAndExecutionResumes()
    {
        ulong before = InterruptDispatcher.Count((int)ExceptionVector.Breakpoint);
        Faults.Breakpoint();
        Faults.Breakpoint();
        Assert.Equal(before + 2, InterruptDispatcher.Count((int)ExceptionVector.Breakpoint));
        // int3 is a trap: the saved RIP is the instruction after it, inside the cpu_int3 helper.
        Assert.Equal("cpu_int3+0x1", Symbols.DescribeToString(ExceptionHandlers.LastBreakpointRip));
    }

    [KernelTest]
    public static void Gdt_SegmentAndTaskRegisters_HoldTheKernelSelectors()
    {
        Assert.Equal(0x08UL, SegmentSelector.CurrentCode.Value);
        Assert.Equal(0x10UL, SegmentSelector.CurrentStack.Value);
        Assert.Equal(0x30UL, SegmentSelector.CurrentTask.Value);
        DescriptorTablePointer gdtr = DescriptorTablePointer.CurrentGdt();
        Assert.Equal(Gdt.Address, gdtr.Base);
        Assert.Equal((ulong)(Gdt.EntryCount * 8) - 1, gdtr.Limit);
    }

    [KernelTest]
    public static void Gdt_Descriptors_HaveTheLongModeEncodings()
    {
        Assert.Equal(0UL, Gdt.Entry(0));
        Assert.Equal(0x00AF9B000000FFFFUL, Gdt.Entry(1));
        Assert.Equal(0x00CF93000000FFFFUL, Gdt.Entry(2));
        Assert.Equal(0UL, Gdt.Entry(3));
        Assert.Equal(0x00CFF3000000FFFFUL, Gdt.Entry(4));
        Assert.Equal(0x00AFFB000000FFFFUL, Gdt.Entry(5));
        Assert.Equal((ulong)Tss.BootProcessor, TssDescriptor.BaseOf(Gdt.Entry(6), Gdt.Entry(7)));
        Assert.Equal(11, TssDescriptor.TypeOf(Gdt.Entry(6))); // ltr marked it busy
        Assert.Equal(0x30UL, Gdt.Task.Value);
        Assert.Equal(0x2BUL, Gdt.UserCode.Value);
        Assert.Equal(0x23UL, Gdt.UserData.Value);
    }

    [KernelTest]
    public static void Idt_EveryVector_HasAPresentRing0InterruptGateToItsStub()
    {
        DescriptorTablePointer idtr = DescriptorTablePointer.CurrentIdt();
        Assert.Equal(Idt.Address, idtr.Base);
        Assert.Equal(4095UL, idtr.Limit);
        var gates = (GateDescriptor*)idtr.Base;
        ulong previousStub = 0;
        for (int vector = 0; vector < 256; vector++)
        {
            GateDescriptor gate = gates[vector];
            Assert.True(gate.IsPresent);
            Assert.Equal((ulong)GateType.Interrupt, (ulong)gate.Type);
            Assert.Equal((ulong)PrivilegeLevel.Kernel, (ulong)gate.Privilege);
            Assert.Equal(0x08UL, gate.CodeSegment.Value);
            Assert.Equal(Idt.StubAddress(vector), gate.Handler);
            Assert.True(gate.Handler > previousStub, "stubs are distinct and in vector order");
            previousStub = gate.Handler;
            Assert.Equal("interrupt_stub_" + vector.ToString("D3") + "+0x0", Symbols.DescribeToString(gate.Handler));
        }

        Assert.Equal((ulong)InterruptStackIndex.DoubleFault, (ulong)Idt.Table.DoubleFault.Stack);
        Assert.Equal((ulong)InterruptStackIndex.NonMaskableInterrupt, (ulong)Idt.Table.NonMaskableInterrupt.Stack);
        Assert.Equal((ulong)InterruptStackIndex.MachineCheck, (ulong)Idt.Table.MachineCheck.Stack);
        for (int vector = 0; vector < 256; vector++)
        {
            if (vector != 2 && vector != 8 && vector != 18)
                Assert.Equal(0UL, (ulong)gates[vector].Stack);
        }
    }

    [KernelTest]
    public static void InterruptStacks_AreMappedBelowTheirTssEntries_WithUnmappedGuardPages()
    {
        CheckStack(InterruptStackIndex.DoubleFault, InterruptStacks.DoubleFault);
        CheckStack(InterruptStackIndex.NonMaskableInterrupt, InterruptStacks.NonMaskableInterrupt);
        CheckStack(InterruptStackIndex.MachineCheck, InterruptStacks.MachineCheck);
        Assert.False(KernelPageTables.IsMapped(new VirtualAddress(InterruptStacks.Boot.GuardPage)), "the loader left the boot stack's guard page unmapped");
        Assert.True(InterruptStacks.Boot.Contains(Cpu.StackPointer.Value), "tests run on the boot stack");
    }

    private static void CheckStack(InterruptStackIndex index, GuardedStack stack)
    {
        Assert.Equal(stack.Top, Tss.BootProcessor->GetInterruptStack(index));
        Assert.Equal(0UL, stack.Top % 16);
        Assert.Equal(KernelLayout.InterruptStackGuard((int)index), stack.GuardPage);
        Assert.False(KernelPageTables.IsMapped(new VirtualAddress(stack.GuardPage)), "guard page unmapped");
        for (ulong page = stack.Bottom; page < stack.Top; page += 4096)
        {
            Assert.True(KernelPageTables.TryTranslate(new VirtualAddress(page), out Translation translation), "stack page mapped");
            PageTableFlags flags = translation.Flags;
            Assert.True((flags & PageTableFlags.Writable) != 0, "stack writable");
            Assert.True((flags & PageTableFlags.NoExecute) != 0, "stack no-execute");
        }

        // Written through the new mapping, read back through it: the stack really is memory.
        ulong* top = (ulong*)(stack.Top - 8);
        ulong saved = *top;
        *top = 0x5AFE_57AC_C0DE_0001;
        Assert.Equal(0x5AFE_57AC_C0DE_0001UL, *top);
        *top = saved;
    }

    [KernelTest]
    public static void RegisteredHandler_SeesTheFrame_AndCanChangeTheInterruptedCodesRegisters()
    {
        byte vector = FreeVector();
        InterruptDispatcher.Register(vector, &RecordAndAnswer);
        ulong before = InterruptDispatcher.Count(vector);
        ulong answer = NativeInterrupts.SoftwareInterrupt(vector);
        InterruptDispatcher.Unregister(vector);

        Assert.Equal((ulong)vector, s_lastVector);
        Assert.Equal(0x08UL, s_lastCs);
        Assert.Equal(((ulong)vector * 3) + 7, answer);
        Assert.Equal(before + 1, InterruptDispatcher.Count(vector));
        Assert.False(InterruptDispatcher.IsRegistered(vector));
    }

    private static void RecordAndAnswer(InterruptFrame* frame)
    {
        s_lastVector = frame->Vector;
        s_lastCs = frame->Cs;
        frame->Rax = (frame->Vector * 3) + 7;
    }

    [KernelTest]
    public static void InterruptRoundTrip_PreservesEveryRegisterFlagsAndSseState()
    {
        byte vector = FreeVector();
        InterruptDispatcher.Register(vector, &ClobberVolatileState);
        ulong changed = NativeInterrupts.CheckPreserved(vector);
        InterruptDispatcher.Unregister(vector);
        Assert.Equal(0UL, changed);

        // The breakpoint path too: through the exception handler, which formats and logs a line.
        Assert.Equal(0UL, NativeInterrupts.CheckPreserved((byte)ExceptionVector.Breakpoint));
    }

    // Uses the registers compiled C# may clobber: integer division (rax, rdx), floating point (xmm0-5).
    private static void ClobberVolatileState(InterruptFrame* frame)
    {
        ulong quotient = frame->Rip / (frame->Vector | 1);
        double value = (double)quotient;
        for (int i = 0; i < 8; i++)
            value = (value * 1.5) + (i * 0.25) - (value / 3.0);
        s_scratch = value + Math.Sqrt(s_scratch + 2.0);
    }

    // Prints what an interrupt round trip costs (int n -> stub -> C# dispatcher -> empty handler ->
    // iretq) beside its floor, a call to a trivial machine-code function, measured in the same boot.
    // tests/Bench (ExceptionBenchmarks) boots this test alone and reads the two lines; nothing
    // here asserts on time.
    [KernelTest]
    public static void InterruptRoundTrip_CostIsMeasured()
    {
        const int Rounds = 10_000;
        byte vector = FreeVector();
        InterruptDispatcher.Register(vector, &DoNothing);
        ulong before = InterruptDispatcher.Count(vector);
        ulong start = Cpu.ReadTimeStampCounter();
        for (int i = 0; i < Rounds; i++)
            NativeInterrupts.SoftwareInterrupt(vector);
        ulong interrupts = Cpu.ReadTimeStampCounter() - start;
        InterruptDispatcher.Unregister(vector);

        start = Cpu.ReadTimeStampCounter();
        for (int i = 0; i < Rounds; i++)
            _ = Cpu.Flags;
        ulong calls = Cpu.ReadTimeStampCounter() - start;

        Assert.Equal(before + Rounds, InterruptDispatcher.Count(vector));
        KernelLog.WriteLine("[bench] interrupt-round-trip-cycles " + (interrupts / Rounds).ToString());
        KernelLog.WriteLine("[bench] native-call-cycles " + (calls / Rounds).ToString());
    }

    private static void DoNothing(InterruptFrame* frame)
    {
    }

    [KernelTest]
    public static void DivideHelper_DividesNormally_WhenTheDivisorIsNotZero()
    {
        Assert.Equal(14UL, NativeInterrupts.DivideUnsigned(100, 7));
        Assert.Equal(ulong.MaxValue / 3, NativeInterrupts.DivideUnsigned(ulong.MaxValue, 3));
    }

    [KernelTest]
    public static void FaultTriggers_AddressesTheyRelyOn_AreUnmapped()
    {
        Assert.False(KernelPageTables.IsMapped(VirtualAddress.Zero), "page 0");
        Assert.False(KernelPageTables.IsMapped(new VirtualAddress(Faults.UnmappedAddress)), "the page-fault trigger's address");
        Assert.True(KernelPageTables.TryTranslateReported(Idt.StubAddress(0), out Translation stub), "kernel code");
        PageTableFlags code = stub.Flags;
        Assert.True((code & PageTableFlags.Writable) == 0 && (code & PageTableFlags.NoExecute) == 0, "kernel code is read-only and executable");
        Assert.True(ControlRegisters.Cr0.HasFlag(Cr0Flags.WriteProtect), "CR0.WP: ring 0 honours read-only pages");
        Assert.True((Msr.Efer.Read() & (ulong)EferFlags.NoExecuteEnable) != 0, "EFER.NXE: no-execute pages are enforced");
        Assert.Equal(9, Faults.Names.Length);
        Assert.True(Faults.TryParse("nxexec", out FaultKind kind));
        Assert.Equal((long)FaultKind.NoExecute, (long)kind);
        Assert.False(Faults.TryParse("bogus", out _));
    }

    [KernelTest]
    public static void Symbols_NameKernelFunctions_WithOffsets()
    {
        Assert.True(Symbols.Count > 200, "the embedded table holds the kernel's functions");
        delegate* unmanaged<void> function = &SymbolProbe;
        Assert.Equal("Kernel.Tests.ExceptionTests.SymbolProbe+0x0", Symbols.DescribeToString((ulong)function));
        Assert.Equal("Kernel.Tests.ExceptionTests.SymbolProbe+0x1", Symbols.DescribeToString((ulong)function + 1));
        Assert.Null(Symbols.DescribeToString(KernelLayout.PhysicalMemoryOffset));
        Assert.Null(Symbols.DescribeToString(0));
    }

    [System.Runtime.InteropServices.UnmanagedCallersOnly]
    private static void SymbolProbe() => s_lastVector = 0;

    [KernelTest]
    public static void Report_ForAGeneralProtectionFault_DecodesTheSelector()
    {
        InterruptFrame frame = FakeFrame(vector: 13, errorCode: 0xFFF8);
        string report = Report(&frame);
        Assert.True(report.StartsWith("EXCEPTION: GENERAL PROTECTION FAULT (#GP, vector 13)\n"), report);
        Assert.True(report.Contains("  error code 0xFFF8: selector 0xFFF8: GDT index 8191\n"), report);
        Assert.True(report.Contains("  RIP 0x" + frame.Rip.ToString("X16") + " in interrupt_stub_000+0x0\n"), report);
        Assert.True(report.Contains("RAX 0x000000000000AAAA"), report);
        Assert.True(report.Contains("R15 0x000000000000FFFF"), report);
    }

    [KernelTest]
    public static void Report_ForAnInterruptWithoutAHandler_SaysSo()
    {
        InterruptFrame frame = FakeFrame(vector: 200, errorCode: 0);
        string report = Report(&frame);
        Assert.True(report.StartsWith("UNEXPECTED INTERRUPT (vector 200): no handler is registered for it\n"), report);
        Assert.False(report.Contains("error code"), report);
    }

    [KernelTest]
    public static void Report_ForAnIstVector_SaysWhetherTheHandlerRunsOnItsStack()
    {
        InterruptFrame frame = FakeFrame(vector: 8, errorCode: 0);
        Span<char> buffer = stackalloc char[3072];
        var onIst = new ReportWriter(buffer);
        FaultReport.Write(&frame, InterruptStacks.DoubleFault.Top - 64, ref onIst);
        Assert.True(onIst.ToString().StartsWith("EXCEPTION: DOUBLE FAULT (#DF, vector 8) on its IST stack (IST1, double-fault stack)\n"));
        Assert.True(onIst.ToString().Contains("\n  note: the saved RIP is undefined for #DF (an abort)"), onIst.ToString());

        var elsewhere = new ReportWriter(buffer);
        FaultReport.Write(&frame, InterruptStacks.Boot.Top - 64, ref elsewhere);
        Assert.True(elsewhere.ToString().StartsWith("EXCEPTION: DOUBLE FAULT (#DF, vector 8) on the WRONG stack: expected IST1"));
    }

    [KernelTest]
    public static void ReportWriter_CutsOffWhatDoesNotFit_AndSaysSo()
    {
        Span<char> buffer = stackalloc char[40];
        var writer = new ReportWriter(buffer);
        writer.Append("0123456789012345678901234567890123456789");
        string text = writer.ToString();
        Assert.True(text.EndsWith("\n[report truncated]"), text);
        Assert.Equal(40, text.Length);
    }

    private static string Report(InterruptFrame* frame)
    {
        Span<char> buffer = stackalloc char[3072];
        var writer = new ReportWriter(buffer);
        FaultReport.Write(frame, Cpu.StackPointer.Value, ref writer);
        return writer.ToString();
    }

    private static InterruptFrame FakeFrame(ulong vector, ulong errorCode) => new()
    {
        Vector = vector,
        ErrorCode = errorCode,
        Rip = Idt.StubAddress(0),
        Cs = 0x08,
        Ss = 0x10,
        Rflags = 0x2,
        Rsp = Cpu.StackPointer.Value,
        Rax = 0xAAAA,
        R15 = 0xFFFF,
    };

    private static byte FreeVector()
    {
        for (int vector = 0x80; vector < 0xF0; vector++)
        {
            if (!InterruptDispatcher.IsRegistered((byte)vector))
                return (byte)vector;
        }

        Assert.Fail("no free interrupt vector between 0x80 and 0xEF for the test");
        return 0;
    }
}
