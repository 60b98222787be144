// Where every interrupt and exception arrives in C#: the entry stubs
// (tools/AsmGen/Modules/InterruptStubs.cs) call Dispatch with the frame they
// built. Exceptions (vectors 0-31) go to ExceptionHandlers; interrupts
// (32-255) go to the handler registered for the vector.
//
// Registering an interrupt handler (APIC timer, keyboard, IPIs):
//
//   InterruptDispatcher.Register(IrqVectors.Keyboard, &OnKeyboard);   // 0x31: ISA IRQ1 via the I/O APIC
//   static void OnKeyboard(InterruptFrame* frame) { ...; LocalApic.Eoi(); }
//
// The handler runs with interrupts disabled (every gate is an interrupt
// gate), on the interrupted code's stack, and must acknowledge its interrupt
// controller itself. It may read and change the frame; returning resumes the
// interrupted code with the frame's state. It should not allocate.
using System.Runtime.InteropServices;
using Kernel.Arch;
using Kernel.Diagnostics;

namespace Kernel.Interrupts;

public static unsafe class InterruptDispatcher
{
    public const int FirstInterruptVector = 32;

    private static Table s_handlers;
    private static Table s_counts;
    private static int s_exceptionDepth;
    private static int s_depth;

    private struct Table
    {
        public fixed ulong Entries[InterruptDescriptorTable.VectorCount];
    }

    /// <summary>
    /// Routes interrupt <paramref name="vector"/> (32..255) to <paramref name="handler"/>. Panics if the vector
    /// is an exception vector or already has a handler: two drivers on one vector is a bug to find now.
    /// </summary>
    public static void Register(byte vector, delegate*<InterruptFrame*, void> handler)
    {
        if (vector < FirstInterruptVector)
            Panic.Fail("vector " + vector.ToString() + " is a CPU exception; only vectors 32-255 take interrupt handlers");
        if (handler == null)
            Panic.Fail("InterruptDispatcher.Register: null handler for vector " + vector.ToString());
        if (s_handlers.Entries[vector] != 0)
            Panic.Fail("vector " + vector.ToString() + " already has an interrupt handler");
        s_handlers.Entries[vector] = (ulong)handler;
    }

    /// <summary>Removes the handler of <paramref name="vector"/>; the vector then reports as unexpected again.</summary>
    public static void Unregister(byte vector)
    {
        if (vector >= FirstInterruptVector)
            s_handlers.Entries[vector] = 0;
    }

    public static bool IsRegistered(byte vector) => s_handlers.Entries[vector] != 0;

    /// <summary>How many times <paramref name="vector"/> has been raised since boot.</summary>
    public static ulong Count(int vector) => s_counts.Entries[vector];

    /// <summary>How many interrupts and exceptions are being handled right now (1 inside a handler, more when nested).</summary>
    public static int Depth => s_depth;

    [UnmanagedCallersOnly(EntryPoint = "InterruptDispatch")]
    private static void Dispatch(InterruptFrame* frame)
    {
        ulong vector = frame->Vector;
        if (vector >= InterruptDescriptorTable.VectorCount)
            Panic.Fail("interrupt frame with vector " + vector.ToString() + ": the entry stub or the stack is corrupt");
        s_counts.Entries[vector]++;
        s_depth++;

        if (vector < FirstInterruptVector)
        {
            DispatchException(frame);
        }
        else
        {
            var handler = (delegate*<InterruptFrame*, void>)s_handlers.Entries[vector];
            if (handler == null)
                FaultReport.ReportAndHalt(frame);
            handler(frame);
        }

        s_depth--;
    }

    private static void DispatchException(InterruptFrame* frame)
    {
        s_exceptionDepth++;
        if (s_exceptionDepth > 1 && frame->Vector != (ulong)ExceptionVector.Breakpoint)
            FaultReport.ReportNestedAndHalt(frame);
        ExceptionHandlers.Handle(frame);
        s_exceptionDepth--;
    }
}
