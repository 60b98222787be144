// CPU faults that compiled C# turns into exceptions in .NET: a read or write
// through a null reference is a page fault in the null page, an integer
// division by zero that reached the `div` instruction is #DE. When such a
// fault is taken in the kernel's compiled C# (the image's .managed section)
// and not inside an interrupt handler, the handler does not report: it
// changes the interrupted state so that iretq "returns" into
// rt_throw_hardware_fault (tools/AsmGen/Modules/ExceptionGlue.cs) with the
// faulting code's stack and RIP, and that throws NullReferenceException or
// DivideByZeroException as if the faulting instruction had thrown it. The
// dispatch then runs outside the fault handler, with RFLAGS (and so the
// interrupt flag) as the faulting code had them. Everything else - faults on
// other addresses, in machine code, in interrupt handlers, #UD, #GP - stays a
// fatal report.
using System;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Kernel.Arch;

namespace Kernel.Interrupts;

public static unsafe class HardwareExceptions
{
    // System.Runtime.HardwareFault in the runtime library.
    private const int NullReferenceKind = 1;
    private const int DivideByZeroKind = 2;
    private const ulong NullPageEnd = 4096;

    private static ulong s_managedStart;
    private static ulong s_managedEnd;
    private static ulong s_raised;

    [DllImport("*", EntryPoint = "rt_throw_hardware_fault_address"), SuppressGCTransition]
    private static extern ulong ThrowEntry();

    [DllImport("*", EntryPoint = "rt_image_base"), SuppressGCTransition]
    private static extern byte* ImageBase();

    /// <summary>How many faults became exceptions since boot.</summary>
    public static ulong Raised => s_raised;

    /// <summary>
    /// If the fault in <paramref name="frame"/> is one that compiled C# turns into an exception, redirects the
    /// interrupted code to throw it and returns true; the caller then returns from the handler.
    /// </summary>
    public static bool TryRedirectToThrow(InterruptFrame* frame)
    {
        int kind = KindOf(frame);
        if (kind == 0 || InterruptDispatcher.Depth != 1 || !IsManagedCode(frame->Rip))
            return false;

        s_raised++;
        frame->Rdx = frame->Rip;
        frame->Rcx = (ulong)kind;
        frame->Rip = ThrowEntry();
        return true;
    }

    private static int KindOf(InterruptFrame* frame)
    {
        if (frame->Vector == (ulong)ExceptionVector.DivideError)
            return DivideByZeroKind;
        if (frame->Vector != (ulong)ExceptionVector.PageFault)
            return 0;

        var error = (PageFaultErrorCode)frame->ErrorCode;
        bool plainAccess = (error & (PageFaultErrorCode.ProtectionViolation | PageFaultErrorCode.UserMode | PageFaultErrorCode.ReservedBit | PageFaultErrorCode.InstructionFetch)) == 0;
        return plainAccess && ControlRegisters.Cr2 < NullPageEnd ? NullReferenceKind : 0;
    }

    /// <summary>True if <paramref name="address"/> is in the code ILCompiler generated (not the machine-code helpers).</summary>
    public static bool IsManagedCode(ulong address)
    {
        if (s_managedEnd == 0)
            FindManagedSection();
        return address >= s_managedStart && address < s_managedEnd;
    }

    // The PE headers are mapped at the image base: find the .managed section in the section table.
    private static void FindManagedSection()
    {
        byte* image = ImageBase();
        var headers = new ReadOnlySpan<byte>(image, 4096);
        int pe = (int)BinaryPrimitives.ReadUInt32LittleEndian(headers.Slice(0x3C));
        int sections = BinaryPrimitives.ReadUInt16LittleEndian(headers.Slice(pe + 6));
        int table = pe + 24 + BinaryPrimitives.ReadUInt16LittleEndian(headers.Slice(pe + 20));
        for (int i = 0; i < sections; i++)
        {
            ReadOnlySpan<byte> section = headers.Slice(table + (40 * i), 40);
            if (section[0] == (byte)'.' && section[1] == (byte)'m' && section[2] == (byte)'a' && section[3] == (byte)'n' && section[4] == (byte)'a' && section[5] == (byte)'g' && section[6] == (byte)'e' && section[7] == (byte)'d')
            {
                s_managedStart = (ulong)image + BinaryPrimitives.ReadUInt32LittleEndian(section.Slice(12));
                s_managedEnd = s_managedStart + BinaryPrimitives.ReadUInt32LittleEndian(section.Slice(8));
                return;
            }
        }

        s_managedEnd = 1; // no such section: nothing is managed code
    }
}
