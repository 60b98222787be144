// The text a fault prints before the kernel stops: which exception, why (the
// decoded error code, what the faulting address was), where (RIP with its
// kernel symbol, which stack RSP was on) and the complete register state.
// Composed in a stack buffer without allocating (ReportWriter); one string
// is made at the end for Panic.FailWithReport.
//
//   EXCEPTION: PAGE FAULT (#PF, vector 14)
//     accessed address (CR2) 0x0000000000000000: null dereference (page 0 is never mapped)
//     error code 0x0: page not present, read, supervisor mode
//     RIP 0xFFFF80000080A11C in Kernel.Diagnostics.Faults.ReadAddress+0xc
//     RSP 0xFFFFE0000003FE40 (boot stack)  RFLAGS 0x0000000000010086  CS 0x08  SS 0x10
//     RAX ... (all general registers), CR0 CR3 CR4
using System;
using System.Diagnostics.CodeAnalysis;
using Kernel.Arch;
using Kernel.Diagnostics;
using Kernel.Memory;
using Shared.Boot;
using Shared.Memory;

namespace Kernel.Interrupts;

public static unsafe class FaultReport
{
    private const int BufferChars = 3072;

    /// <summary>Reports the exception in <paramref name="frame"/> and ends the kernel (Panic.FailWithReport).</summary>
    [DoesNotReturn]
    public static void ReportAndHalt(InterruptFrame* frame)
    {
        ulong handlerRsp = Cpu.StackPointer.Value;
        Span<char> buffer = stackalloc char[BufferChars];
        var report = new ReportWriter(buffer);
        Write(frame, handlerRsp, ref report);
        Panic.FailWithReport(report.ToString());
    }

    /// <summary>A fault while a fault was being reported: the bare facts, no symbol or page-table lookups.</summary>
    [DoesNotReturn]
    public static void ReportNestedAndHalt(InterruptFrame* frame)
    {
        Span<char> buffer = stackalloc char[512];
        var report = new ReportWriter(buffer);
        ExceptionInfo info = ExceptionInfo.For((int)frame->Vector);
        report.Append("EXCEPTION while reporting another one: ");
        report.Append(info.Name);
        report.Append(" (vector ");
        report.Decimal(frame->Vector);
        report.Append(") RIP ");
        report.Hex64(frame->Rip);
        report.Append(" error code ");
        report.Hex(frame->ErrorCode);
        report.Append(" CR2 ");
        report.Hex64(ControlRegisters.Cr2);
        Panic.FailWithReport(report.ToString());
    }

    /// <summary>The whole report. <paramref name="handlerRsp"/> is the stack pointer the handler runs with.</summary>
    public static void Write(InterruptFrame* frame, ulong handlerRsp, ref ReportWriter report)
    {
        int vector = (int)frame->Vector;
        ExceptionInfo info = ExceptionInfo.For(vector);
        WriteHeadline(vector, info, handlerRsp, ref report);
        if (vector < 32)
            WriteCause(vector, info, frame, ref report);
        WriteLocation(frame, ref report);
        WriteRegisters(frame, ref report);
    }

    private static void WriteHeadline(int vector, ExceptionInfo info, ulong handlerRsp, ref ReportWriter report)
    {
        if (vector >= 32)
        {
            report.Append("UNEXPECTED INTERRUPT (vector ");
            report.Decimal((ulong)vector);
            report.Append("): no handler is registered for it");
            report.Line();
            return;
        }

        report.Append("EXCEPTION: ");
        report.Append(info.Name);
        report.Append(" (");
        if (info.Mnemonic.Length > 0)
        {
            report.Append(info.Mnemonic);
            report.Append(", ");
        }

        report.Append("vector ");
        report.Decimal((ulong)vector);
        report.Append(")");
        if (info.Stack != InterruptStackIndex.None)
            WriteStackCheck(info.Stack, handlerRsp, ref report);
        report.Line();
    }

    // Vectors with an IST stack say whether the handler really runs on it: the double-fault test
    // relies on this line to prove the stack switch happened.
    private static void WriteStackCheck(InterruptStackIndex index, ulong handlerRsp, ref ReportWriter report)
    {
        GuardedStack expected = InterruptStacks.Get(index);
        if (expected.Contains(handlerRsp))
        {
            report.Append(" on its IST stack (IST");
            report.Decimal((ulong)index);
            report.Append(", ");
            report.Append(expected.Name);
            report.Append(" stack)");
            return;
        }

        report.Append(" on the WRONG stack: expected IST");
        report.Decimal((ulong)index);
        report.Append(", handler RSP ");
        report.Hex64(handlerRsp);
    }

    private static void WriteCause(int vector, ExceptionInfo info, InterruptFrame* frame, ref ReportWriter report)
    {
        switch (info.ErrorCode)
        {
            case ErrorCodeKind.PageFault:
                ulong address = ControlRegisters.Cr2;
                report.Append("  accessed address (CR2) ");
                report.Hex64(address);
                report.Append(": ");
                DescribeFaultAddress(address, ref report);
                report.Line();
                report.Append("  error code ");
                report.Hex(frame->ErrorCode);
                report.Append(": ");
                PageFaultErrorCodeText.Describe((PageFaultErrorCode)frame->ErrorCode, ref report);
                report.Line();
                break;
            case ErrorCodeKind.Selector:
                report.Append("  error code ");
                report.Hex(frame->ErrorCode);
                report.Append(": ");
                new SelectorErrorCode(frame->ErrorCode).Describe(ref report);
                report.Line();
                break;
            case ErrorCodeKind.Zero:
            case ErrorCodeKind.Other:
                report.Append("  error code ");
                report.Hex(frame->ErrorCode);
                report.Line();
                break;
        }

        if (vector == (int)ExceptionVector.DoubleFault)
            WriteDoubleFaultCause(frame, ref report);
    }

    // A double fault means delivering one exception raised another. By far the most common
    // reason in a kernel is a stack overflow: the first fault cannot push its frame.
    private static void WriteDoubleFaultCause(InterruptFrame* frame, ref ReportWriter report)
    {
        ulong cr2 = ControlRegisters.Cr2;
        if (InterruptStacks.TryFindGuard(cr2, out GuardedStack stack) || InterruptStacks.TryFindGuard(frame->Rsp, out stack) || IsNearBottom(frame->Rsp, out stack))
        {
            report.Append("  cause: kernel stack overflow - the ");
            report.Append(stack.Name);
            report.Append(" stack ran into its guard page (CR2 ");
            report.Hex64(cr2);
            report.Append(", RSP ");
            report.Hex64(frame->Rsp);
            report.Append(")");
        }
        else
        {
            report.Append("  cause: an exception while the CPU delivered another (the last page-fault address, CR2, is ");
            report.Hex64(cr2);
            report.Append(")");
        }

        report.Line();

        // The SDM classes #DF as an abort: the saved CS:RIP is undefined (Vol. 3, 6.15, interrupt 8).
        // QEMU and real CPUs usually leave the instruction whose fault could not be delivered, so the
        // line is still printed - with this warning, so nobody debugs the wrong instruction on faith.
        report.Append("  note: the saved RIP is undefined for #DF (an abort); it usually, not always, points at the faulting code");
        report.Line();
    }

    private static bool IsNearBottom(ulong rsp, out GuardedStack stack)
        => InterruptStacks.TryFindContaining(rsp, out stack) && rsp - stack.Bottom < 512;

    private static void DescribeFaultAddress(ulong address, ref ReportWriter report)
    {
        if (address < KernelLayout.PageSize)
        {
            report.Append("null dereference (page 0 is never mapped)");
            return;
        }

        if (InterruptStacks.TryFindGuard(address, out GuardedStack stack))
        {
            report.Append("kernel stack overflow (guard page of the ");
            report.Append(stack.Name);
            report.Append(" stack)");
            return;
        }

        report.Append(AddressRegion(address));
        AppendSymbol(address, ref report);
        if (!KernelPageTables.TryTranslateReported(address, out Translation translation))
        {
            report.Append(", not mapped");
            return;
        }

        PageTableFlags flags = translation.Flags;
        report.Append((flags & PageTableFlags.Writable) != 0 ? ", mapped writable" : ", mapped read-only");
        report.Append((flags & PageTableFlags.NoExecute) != 0 ? ", no-execute" : ", executable");
    }

    private static string AddressRegion(ulong address)
    {
        BootInfo* boot = KernelState.BootInfo;
        if (address >= boot->KernelVirtualBase && address - boot->KernelVirtualBase < boot->KernelImageSize)
            return "in the kernel image";
        if (address >= boot->PhysicalMemoryOffset && address - boot->PhysicalMemoryOffset < boot->PhysicalMemoryMappedSize)
            return "in the physical-memory window";
        if (address >= KernelLayout.StackRegionBase && address < KernelLayout.StackRegionBase + (1UL << 39))
            return "in the kernel stack region";
        if (address >= KernelLayout.HeapBase && address < KernelLayout.StackRegionBase)
            return "in the kernel heap region";
        return (address >> 63) == 0 ? "in the lower half" : "in the kernel half";
    }

    private static void AppendSymbol(ulong address, ref ReportWriter report)
    {
        Span<char> symbol = stackalloc char[160];
        int length = Symbols.Describe(address, symbol);
        if (length > 0)
        {
            report.Append(" (");
            report.Append(symbol.Slice(0, length));
            report.Append(")");
        }
    }

    private static void WriteLocation(InterruptFrame* frame, ref ReportWriter report)
    {
        report.Append("  RIP ");
        report.Hex64(frame->Rip);
        Span<char> symbol = stackalloc char[160];
        int length = Symbols.Describe(frame->Rip, symbol);
        if (length > 0)
        {
            report.Append(" in ");
            report.Append(symbol.Slice(0, length));
        }
        else
        {
            report.Append(" (not in a known kernel function)");
        }

        report.Line();
        report.Append("  RSP ");
        report.Hex64(frame->Rsp);
        DescribeStack(frame->Rsp, ref report);
        report.Append("  RFLAGS ");
        report.Hex64(frame->Rflags);
        report.Append("  CS ");
        report.Hex(frame->Cs, 2);
        report.Append("  SS ");
        report.Hex(frame->Ss, 2);
        report.Line();
        WriteStackScan(frame->Rsp, ref report);
    }

    // Compiled C# keeps no frame-pointer chain to walk, so list the words on the interrupted stack
    // that are addresses inside kernel functions: return addresses of the callers, most recent
    // first (plus, possibly, stale ones - hence "possible"). Only a known stack is read, and only
    // within its bounds, so a wild RSP cannot fault here.
    private static void WriteStackScan(ulong rsp, ref ReportWriter report)
    {
        const int MaxWords = 256;
        const int MaxCallers = 8;
        if ((rsp & 7) != 0)
            return;
        if (!InterruptStacks.TryFindContaining(rsp, out GuardedStack stack))
        {
            // An overflow can leave RSP inside the guard page: scan from the first mapped word above it.
            if (!InterruptStacks.TryFindContaining(rsp + GuardedStack.GuardSize, out stack) || rsp < stack.GuardPage || rsp >= stack.Bottom)
                return;
            rsp = stack.Bottom;
        }

        Span<char> symbol = stackalloc char[160];
        int found = 0;
        ulong previous = 0;
        ulong repeats = 0;
        for (ulong slot = rsp; slot + 8 <= stack.Top && slot < rsp + (MaxWords * 8) && found < MaxCallers; slot += 8)
        {
            ulong value = *(ulong*)slot;
            if (value == previous && found > 0)
            {
                repeats++; // deep recursion: say how often instead of repeating the name
                continue;
            }

            int length = Symbols.Describe(value, symbol);
            if (length == 0)
                continue;
            AppendRepeats(repeats, ref report);
            report.Append(found == 0 ? "  possible callers (code addresses on the stack): " : ", ");
            report.Append(symbol.Slice(0, length));
            previous = value;
            repeats = 0;
            found++;
        }

        AppendRepeats(repeats, ref report);
        if (found > 0)
            report.Line();
    }

    private static void AppendRepeats(ulong repeats, ref ReportWriter report)
    {
        if (repeats == 0)
            return;
        report.Append(" (x");
        report.Decimal(repeats + 1);
        report.Append(")");
    }

    private static void DescribeStack(ulong rsp, ref ReportWriter report)
    {
        if (InterruptStacks.TryFindContaining(rsp, out GuardedStack stack))
        {
            report.Append(" (");
            report.Append(stack.Name);
            report.Append(" stack)");
        }
        else if (InterruptStacks.TryFindGuard(rsp, out stack))
        {
            report.Append(" (guard page of the ");
            report.Append(stack.Name);
            report.Append(" stack!)");
        }
    }

    private static void WriteRegisters(InterruptFrame* frame, ref ReportWriter report)
    {
        Register(ref report, "  RAX ", frame->Rax);
        Register(ref report, "  RBX ", frame->Rbx);
        Register(ref report, "  RCX ", frame->Rcx);
        report.Line();
        Register(ref report, "  RDX ", frame->Rdx);
        Register(ref report, "  RSI ", frame->Rsi);
        Register(ref report, "  RDI ", frame->Rdi);
        report.Line();
        Register(ref report, "  RBP ", frame->Rbp);
        Register(ref report, "  R8  ", frame->R8);
        Register(ref report, "  R9  ", frame->R9);
        report.Line();
        Register(ref report, "  R10 ", frame->R10);
        Register(ref report, "  R11 ", frame->R11);
        Register(ref report, "  R12 ", frame->R12);
        report.Line();
        Register(ref report, "  R13 ", frame->R13);
        Register(ref report, "  R14 ", frame->R14);
        Register(ref report, "  R15 ", frame->R15);
        report.Line();
        Register(ref report, "  CR0 ", (ulong)ControlRegisters.Cr0);
        Register(ref report, "  CR3 ", ControlRegisters.Cr3);
        Register(ref report, "  CR4 ", (ulong)ControlRegisters.Cr4);
    }

    private static void Register(ref ReportWriter report, string name, ulong value)
    {
        report.Append(name);
        report.Hex64(value);
    }
}
