// Two-pass exception dispatch over the image's own unwind data, in the shape
// of NativeAOT's (ExceptionHandling.cs in its Runtime.Base), written for this
// runtime. A throw enters here with the thrower's registers
// (tools/AsmGen/Modules/ExceptionGlue.cs):
//   pass 1 walks the stack frame by frame (X64Unwinder), reads each method's
//          clauses (EHClauseReader) and stops at the first typed catch that
//          matches or filter that says yes - filters run here, before any
//          finally, as in .NET;
//   pass 2 walks the same frames again, runs every fault/finally funclet it
//          passes (innermost first), then the catch funclet, and resumes at
//          the address the catch funclet returns, with the catching frame's
//          registers and stack pointer: everything below is discarded.
// Funclets run on top of this dispatcher's stack. An exception thrown inside
// one (a throw in a catch or finally, or `throw;`) walks up into
// rt_call_funclet; it is recognised there by the stack pointer the call
// recorded and continues in the funclet's parent frame with the clauses that
// enclose the one that was running, as NativeAOT does. With no handler, or
// at a frame the exception may not cross (an [UnmanagedCallersOnly] entry:
// an interrupt handler or the kernel entry), the failure handler reports the
// exception and its stack trace.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Internal.Runtime;
using Internal.Runtime.Unwinding;

namespace System.Runtime;

internal static unsafe class ExceptionHandling
{
    private const int MaxFrames = 4096;

    /// <summary>The dispatches in progress, innermost first (one CPU runs the kernel today).</summary>
    private static DispatchRecord* s_active;

    private static ulong s_imageBase;
    private static uint s_imageSize;

    /// <summary>How many exceptions were dispatched (thrown and rethrown).</summary>
    internal static ulong Dispatched;

    [DllImport("*", EntryPoint = "rt_image_base"), SuppressGCTransition]
    private static extern byte* ImageBase();

    [DllImport("*", EntryPoint = "rt_call_funclet"), SuppressGCTransition]
    private static extern nint CallFunclet(nint funclet, nint exception, UnwindContext* parent, ulong* callStackPointer);

    // The funclet receives the exception object in rcx; objects do not move, so its address is the reference.
    private static nint AddressOf(Exception exception) => Unsafe.As<Exception, nint>(ref exception);

    [DllImport("*", EntryPoint = "rt_resume_after_catch"), SuppressGCTransition]
    private static extern void ResumeAfterCatch(UnwindContext* frame, nint continuation);

    private static CodeImage Image
    {
        get
        {
            if (s_imageBase == 0)
            {
                byte* headers = ImageBase();
                s_imageSize = CodeImage.SizeOfImage(new ReadOnlySpan<byte>(headers, 4096));
                s_imageBase = (ulong)headers;
            }

            return CodeImage.FromLoadedImage(new ReadOnlySpan<byte>((void*)s_imageBase, (int)s_imageSize), s_imageBase);
        }
    }

    [RuntimeExport("RhThrowEx")]
    private static void RhThrowEx(object thrown, UnwindContext* context)
    {
        if (thrown is not Exception exception)
        {
            RuntimeFailure.Fail("System.Exception", "A non-Exception object was thrown.");
            return;
        }

        exception.ResetStackTrace();
        Dispatch(exception, context);
    }

    [RuntimeExport("RhRethrow")]
    private static void RhRethrow(UnwindContext* context)
    {
        // ILCompiler passes nothing: the exception is the one whose catch funclet is running.
        for (DispatchRecord* record = s_active; record != null; record = record->Previous)
        {
            if (record->Funclet == RunningFunclet.Catch)
            {
                Dispatch(Unsafe.As<Exception>(record->ExceptionObject), context);
                return;
            }
        }

        RuntimeFailure.Fail("System.InvalidProgramException", "'throw;' outside a catch block.");
    }

    /// <summary>A hardware fault in managed code, redirected here by the fault handler (Kind: HardwareFault).</summary>
    [RuntimeExport("RhThrowHardwareFault")]
    private static void RhThrowHardwareFault(int kind, UnwindContext* context)
    {
        Exception exception = (HardwareFault)kind switch
        {
            HardwareFault.NullReference => new NullReferenceException(),
            HardwareFault.DivideByZero => new DivideByZeroException(),
            _ => new OverflowException(),
        };
        exception.ResetStackTrace();
        exception.FaultedAtFirstFrame = true;
        Dispatch(exception, context);
    }

    private static void Dispatch(Exception exception, UnwindContext* throwContext)
    {
        Dispatched++;
        CodeImage image = Image;
        DispatchRecord record = default;
        record.ExceptionObject = exception;
        record.Previous = s_active;
        s_active = &record;

        // Pass 1: find the handler.
        FrameWalker walker = new FrameWalker(*throwContext);
        int handlerFrame = -1;
        int handlerClause = -1;
        string stopReason = null;
        for (int frame = 0; frame < MaxFrames; frame++)
        {
            if (!walker.FindFunction(image, out RuntimeFunction root, out uint offset))
            {
                stopReason = "no unwind data";
                break;
            }

            exception.AppendStackFrame(walker.Context.Ip);
            handlerClause = FindHandlerInFrame(image, root, offset, ref walker, exception, &record);
            if (handlerClause >= 0)
            {
                handlerFrame = frame;
                break;
            }

            stopReason = walker.Next(image);
            if (stopReason is not null)
                break;
        }

        if (handlerFrame < 0)
        {
            s_active = record.Previous;
            Unhandled(exception, stopReason ?? "too many frames");
            return;
        }

        // Pass 2: run the finally and fault funclets on the way, then the catch.
        walker = new FrameWalker(*throwContext);
        for (int frame = 0; ; frame++)
        {
            walker.FindFunction(image, out RuntimeFunction root, out uint offset);
            bool last = frame == handlerFrame;
            RunFinallies(image, root, offset, ref walker, exception, &record, last ? handlerClause : int.MaxValue);
            if (last)
                break;
            walker.Next(image);
        }

        EHClause handler = ClauseAt(image, walker.Root(image), handlerClause);
        record.Frame = walker.Context;
        record.ClauseIndex = handlerClause;
        record.Funclet = RunningFunclet.Catch;
        nint continuation = CallFunclet((nint)(image.Base + walker.Root(image).Begin + handler.Handler), AddressOf(exception), &record.Frame, &record.FuncletCallStackPointer);

        // Everything below the catching frame is gone, this dispatcher's record and any older ones included.
        UnwindContext resume = walker.Context;
        while (s_active != null && (ulong)s_active < resume.StackPointer)
            s_active = s_active->Previous;
        ResumeAfterCatch(&resume, continuation);
    }

    /// <summary>Index of the clause in this frame that catches <paramref name="exception"/>, or -1.</summary>
    private static int FindHandlerInFrame(CodeImage image, RuntimeFunction root, uint offset, ref FrameWalker walker, Exception exception, DispatchRecord* record)
    {
        UnwindInfo info = image.UnwindInfo(root);
        if (!info.HasEHInfo)
            return -1;

        var reader = new EHClauseReader(image.Bytes, info.EHInfo);
        walker.BeginClauses();
        for (int index = 0; reader.TryNext(out EHClause clause); index++)
        {
            if (!walker.ClauseApplies(index, clause, offset))
                continue;

            if (clause.Kind == EHClauseKind.TypedCatch)
            {
                var type = (MethodTable*)(image.Base + clause.FilterOrType);
                if (TypeCast.AreTypesAssignable(exception.GetMethodTable(), type))
                    return index;
            }
            else if (clause.Kind == EHClauseKind.Filter)
            {
                record->Frame = walker.Context;
                record->ClauseIndex = index;
                record->Funclet = RunningFunclet.Filter;
                nint verdict = CallFunclet((nint)(image.Base + root.Begin + clause.FilterOrType), AddressOf(exception), &record->Frame, &record->FuncletCallStackPointer);
                record->Funclet = RunningFunclet.None;
                if ((int)verdict != 0)
                    return index;
            }
        }

        return -1;
    }

    private static void RunFinallies(CodeImage image, RuntimeFunction root, uint offset, ref FrameWalker walker, Exception exception, DispatchRecord* record, int beforeClause)
    {
        UnwindInfo info = image.UnwindInfo(root);
        if (!info.HasEHInfo)
            return;

        var reader = new EHClauseReader(image.Bytes, info.EHInfo);
        walker.BeginClauses();
        for (int index = 0; index < beforeClause && reader.TryNext(out EHClause clause); index++)
        {
            if (!walker.ClauseApplies(index, clause, offset) || clause.Kind != EHClauseKind.Fault)
                continue;
            record->Frame = walker.Context;
            record->ClauseIndex = index;
            record->Funclet = RunningFunclet.Finally;
            CallFunclet((nint)(image.Base + root.Begin + clause.Handler), AddressOf(exception), &record->Frame, &record->FuncletCallStackPointer);
            record->Funclet = RunningFunclet.None;
        }
    }

    private static EHClause ClauseAt(CodeImage image, RuntimeFunction root, int index)
    {
        var reader = new EHClauseReader(image.Bytes, image.UnwindInfo(root).EHInfo);
        EHClause clause = default;
        for (int i = 0; i <= index; i++)
            reader.TryNext(out clause);
        return clause;
    }

    private static void Unhandled(Exception exception, string reason)
    {
        string trace = exception.StackTrace;
        RuntimeFailure.Fail(
            exception.TypeName,
            exception.Message + " (unhandled exception; the stack walk stopped: " + reason + ")" + (trace.Length > 0 ? "\n" + trace : ""),
            null);
    }

    /// <summary>Finds the dispatch whose funclet call left the stack pointer at <paramref name="stackPointer"/>.</summary>
    internal static DispatchRecord* FindFuncletCaller(ulong stackPointer)
    {
        for (DispatchRecord* record = s_active; record != null; record = record->Previous)
        {
            if (record->Funclet != RunningFunclet.None && record->FuncletCallStackPointer == stackPointer)
                return record;
        }

        return null;
    }
}

internal enum HardwareFault
{
    NullReference = 1,
    DivideByZero = 2,
}

internal enum RunningFunclet
{
    None,
    Filter,
    Finally,
    Catch,
}

/// <summary>One dispatch in progress; it lives in the dispatcher's frame.</summary>
internal unsafe struct DispatchRecord
{
    public DispatchRecord* Previous;
    public object ExceptionObject;

    /// <summary>While a funclet runs: its parent frame, which clause it belongs to, and the stack pointer at its call.</summary>
    public UnwindContext Frame;
    public int ClauseIndex;
    public RunningFunclet Funclet;
    public ulong FuncletCallStackPointer;
}

/// <summary>Reads the kernel's own stacks: they are mapped wherever the unwind codes lead (any bad slot faults loudly).</summary>
internal unsafe struct LiveStack : IStackMemory
{
    public bool TryRead(ulong address, out ulong value)
    {
        if (address == 0 || (address & 7) != 0)
        {
            value = 0;
            return false;
        }

        value = *(ulong*)address;
        return true;
    }
}

/// <summary>The frame being looked at, and which of its clauses still apply.</summary>
internal unsafe struct FrameWalker
{
    public UnwindContext Context;

    // After an exception leaves a funclet, its parent frame is looked at again, but only from the clauses
    // that enclose the one whose funclet was running: skip that clause and those before it, then any that
    // protect the same try region (catches of one try). ILCompiler separates runs of different try
    // regions that share native offsets (a try nested directly in another) with an empty fault clause,
    // which ends the skipping - as NativeAOT's dispatcher does.
    private int _skipThrough;
    private bool _skipping;
    private uint _lastTryStart;
    private uint _lastTryEnd;
    private int _function;

    public FrameWalker(UnwindContext start)
    {
        Context = start;
        _skipThrough = -1;
        _skipping = false;
        _lastTryStart = 0;
        _lastTryEnd = 0;
        _function = -1;
    }

    public bool FindFunction(CodeImage image, out RuntimeFunction root, out uint offset)
    {
        _function = image.FindFunction(Context.Ip);
        if (_function < 0)
        {
            root = default;
            offset = 0;
            return false;
        }

        root = image.Function(image.FindRootFunction(_function));
        offset = (uint)(Context.Ip - image.Base) - root.Begin;
        return true;
    }

    public RuntimeFunction Root(CodeImage image) => image.Function(image.FindRootFunction(_function));

    /// <summary>Call before going through this frame's clauses; then ClauseApplies for every clause, in order.</summary>
    public void BeginClauses() => _skipping = _skipThrough >= 0;

    public bool ClauseApplies(int index, EHClause clause, uint offset)
    {
        if (_skipping)
        {
            if (index <= _skipThrough || (clause.TryStart == _lastTryStart && clause.TryEnd == _lastTryEnd))
            {
                _lastTryStart = clause.TryStart;
                _lastTryEnd = clause.TryEnd;
                return false;
            }

            _skipping = false;
        }

        return clause.Covers(offset);
    }

    /// <summary>Moves to the caller's frame; a reason to stop, or null.</summary>
    public string Next(CodeImage image)
    {
        bool reversePInvoke = _function >= 0 && image.UnwindInfo(image.Function(image.FindRootFunction(_function))).IsReversePInvokeFrame;
        if (reversePInvoke)
            return "reached an [UnmanagedCallersOnly] entry (an interrupt handler or the kernel's entry), which exceptions do not cross";

        var stack = new LiveStack();
        UnwindResult result = X64Unwinder.Unwind(ref Context, image, ref stack);
        if (result != UnwindResult.Ok)
            return result == UnwindResult.NoFunction ? "no unwind data" : "unwinding failed";

        _skipThrough = -1;
        DispatchRecord* record = ExceptionHandling.FindFuncletCaller(Context.StackPointer);
        if (record != null)
        {
            if (record->Funclet == RunningFunclet.Filter)
                return "an exception escaped an exception filter";
            Context = record->Frame;
            _skipThrough = record->ClauseIndex;
        }

        return null;
    }
}
