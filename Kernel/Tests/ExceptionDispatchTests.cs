// C# exceptions in the kernel: throw, catch, finally, filters and rethrow,
// dispatched in two passes over the image's unwind data
// (Shared/CoreLib/System/Runtime/ExceptionHandling.cs), the runtime's throw
// helpers, and CPU faults in compiled C# surfacing as exceptions. One boot
// (suite "exceptions"). The methods that throw are NoInlining so that each is
// a frame of its own; tests/Host.Tests/Unwinding also decodes the clauses of
// some of them from the built image and compares them with the C# here.
using System;
using System.Runtime.CompilerServices;
using Kernel.Arch;
using Kernel.Diagnostics;
using Kernel.Interrupts;
using Kernel.Testing;
using Kernel.Time;

namespace Kernel.Tests;

internal static unsafe class ExceptionDispatchTests
{
    private static string s_trace = "";
    private static int s_disposed;
    private static object s_null;

    private sealed class Box
    {
        public int Value = 1;
    }

    private sealed class Probe : IDisposable
    {
        public void Dispose() => s_disposed++;
    }

    private sealed class CustomException : InvalidOperationException
    {
        public CustomException(string message)
            : base(message)
        {
        }

        public int Code { get; set; }

        protected override string TypeName => "Kernel.Tests.CustomException";
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Throw(string message) => throw new InvalidOperationException(message);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowArgument() => throw new ArgumentException("bad argument");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool Note(string step, bool result)
    {
        s_trace += step;
        return result;
    }

    // Host tests decode this method's clauses: one typed catch of InvalidOperationException.
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int ClauseShape_TypedCatch(string message)
    {
        try
        {
            Throw(message);
            return 1;
        }
        catch (InvalidOperationException)
        {
            return 2;
        }
    }

    // Host tests decode this method's clauses: a filter, then a fault (the finally), innermost first.
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int ClauseShape_FilterAndFinally(string message)
    {
        int result = 0;
        try
        {
            Throw(message);
        }
        catch (Exception e) when (e.Message.Length == 3)
        {
            result = 3;
        }
        finally
        {
            s_trace += "F";
        }

        return result;
    }

    [KernelTest(Suite = "exceptions")]
    public static void Catch_ByExactType()
    {
        Assert.Equal(2, ClauseShape_TypedCatch("exact"));
        try
        {
            Throw("exact type");
            Assert.Fail("the throw returned");
        }
        catch (InvalidOperationException e)
        {
            Assert.Equal("exact type", e.Message);
        }
    }

    [KernelTest(Suite = "exceptions")]
    public static void Catch_ByBaseType_AndTheFirstMatchingClauseWins()
    {
        string caught = null;
        try
        {
            throw new CustomException("derived") { Code = 7 };
        }
        catch (ArgumentException)
        {
            caught = "argument";
        }
        catch (SystemException e)
        {
            caught = "system " + ((CustomException)e).Code.ToString();
        }
        catch (Exception)
        {
            caught = "exception";
        }

        Assert.Equal("system 7", caught);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void NestedFinallies()
    {
        try
        {
            try
            {
                s_trace += "t";
                Throw("x");
            }
            finally
            {
                s_trace += "1";
            }
        }
        finally
        {
            s_trace += "2";
        }
    }

    [KernelTest(Suite = "exceptions")]
    public static void Finally_RunsInnermostFirst_BeforeTheCatch()
    {
        s_trace = "";
        try
        {
            NestedFinallies();
        }
        catch (InvalidOperationException)
        {
            s_trace += "c";
        }
        finally
        {
            s_trace += "3";
        }

        s_trace += "e";
        Assert.Equal("t12c3e", s_trace);
    }

    [KernelTest(Suite = "exceptions")]
    public static void TryInALoop_CatchesEveryIteration()
    {
        int caught = 0;
        int passed = 0;
        for (int i = 0; i < 1000; i++)
        {
            try
            {
                if (i % 3 == 0)
                    Throw("loop");
                passed++;
            }
            catch (InvalidOperationException)
            {
                caught++;
            }
        }

        Assert.Equal(334, caught);
        Assert.Equal(666, passed);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CatchAndRethrow()
    {
        try
        {
            Throw("original");
        }
        catch (InvalidOperationException)
        {
            s_trace += "r";
            throw;
        }
    }

    [KernelTest(Suite = "exceptions")]
    public static void Rethrow_KeepsTheSameException_AndTheOriginalStackTrace()
    {
        s_trace = "";
        try
        {
            CatchAndRethrow();
        }
        catch (InvalidOperationException e)
        {
            Assert.Equal("r", s_trace);
            Assert.Equal("original", e.Message);
            string trace = e.StackTrace;
            Assert.True(trace.IndexOf("ExceptionDispatchTests.Throw+") >= 0, "the original thrower is gone from the trace: " + trace);
            Assert.True(trace.IndexOf("ExceptionDispatchTests.CatchAndRethrow") >= 0, "the rethrowing method is not in the trace: " + trace);
        }
    }

    [KernelTest(Suite = "exceptions")]
    public static void Filters_RunInPassOne_BeforeInnerFinallies()
    {
        s_trace = "";
        try
        {
            try
            {
                Throw("filtered");
            }
            finally
            {
                s_trace += "finally,";
            }
        }
        catch (InvalidOperationException e) when (Note("filter(" + e.Message + "),", false))
        {
            s_trace += "wrong,";
        }
        catch (InvalidOperationException) when (Note("filter2,", true))
        {
            s_trace += "catch";
        }

        Assert.Equal("filter(filtered),filter2,finally,catch", s_trace);
        s_trace = "";
        Assert.Equal(3, ClauseShape_FilterAndFinally("abc"));
        Assert.Equal("F", s_trace);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowFromFinally()
    {
        try
        {
            Throw("first");
        }
        finally
        {
            ThrowArgument();
        }
    }

    [KernelTest(Suite = "exceptions")]
    public static void ExceptionInFinally_ReplacesTheFirst()
    {
        string caught = null;
        try
        {
            ThrowFromFinally();
        }
        catch (InvalidOperationException)
        {
            caught = "first";
        }
        catch (ArgumentException e)
        {
            caught = e.Message;
        }

        Assert.Equal("bad argument", caught);
    }

    [KernelTest(Suite = "exceptions")]
    public static void ExceptionInCatch_IsCaughtOutside_AndNotBySiblingClauses()
    {
        string caught = null;
        try
        {
            try
            {
                Throw("inner");
            }
            catch (InvalidOperationException e)
            {
                throw new ArgumentException("from catch", e);
            }
            catch (ArgumentException)
            {
                caught = "sibling";
            }
        }
        catch (ArgumentException e)
        {
            caught = e.Message + " <- " + e.InnerException.Message;
        }

        Assert.Equal("from catch <- inner", caught);
    }

    [KernelTest(Suite = "exceptions")]
    public static void NestedTry_InsideACatch_Works()
    {
        s_trace = "";
        try
        {
            Throw("a");
        }
        catch (InvalidOperationException)
        {
            try
            {
                ThrowArgument();
            }
            catch (ArgumentException)
            {
                s_trace += "inner";
            }

            s_trace += "+outer";
        }

        Assert.Equal("inner+outer", s_trace);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Recurse(int depth)
    {
        if (depth == 0)
            Throw("deep");
        return Recurse(depth - 1) + 1;
    }

    [KernelTest(Suite = "exceptions")]
    public static void Exception_Crossing50Frames_IsCaught_WithEveryFrameInTheTrace()
    {
        try
        {
            Recurse(50);
            Assert.Fail("no exception");
        }
        catch (InvalidOperationException e)
        {
            Assert.Equal("deep", e.Message);
            Assert.True(e.StackFrameCount >= 52, "frames in the trace: " + e.StackFrameCount.ToString());
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long LocalsSurvive(long seed)
    {
        // Values live across the call in callee-saved registers and on the stack.
        long a = seed * 3;
        long b = seed + 11;
        long c = seed ^ 0x5555;
        double d = seed * 0.5;
        try
        {
            Recurse(5);
        }
        catch (InvalidOperationException)
        {
            a += 1;
        }

        return a + b + c + (long)(d * 2);
    }

    [KernelTest(Suite = "exceptions")]
    public static void LocalsInOuterFrames_AreIntact_AfterTheCatch()
    {
        long x = 1234567;
        long y = x * 7;
        long expected = (1000 * 3) + 1 + 1000 + 11 + (1000 ^ 0x5555) + 1000;
        Assert.Equal(expected, LocalsSurvive(1000));
        Assert.Equal(1234567L, x);
        Assert.Equal(1234567L * 7, y);
    }

    [KernelTest(Suite = "exceptions")]
    public static void Using_DisposesWhenTheBodyThrows()
    {
        s_disposed = 0;
        try
        {
            using (new Probe())
            {
                using var second = new Probe();
                Throw("inside using");
            }
        }
        catch (InvalidOperationException)
        {
        }

        Assert.Equal(2, s_disposed);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int ReadThroughNull(Box box) => box.Value;

    [KernelTest(Suite = "exceptions")]
    public static void NullDereference_IsCaughtAsNullReferenceException()
    {
        ulong raisedBefore = HardwareExceptions.Raised;
        string caught = null;
        try
        {
            ReadThroughNull((Box)s_null);
        }
        catch (NullReferenceException e)
        {
            caught = e.Message;
            Assert.True(e.StackTrace.IndexOf("ExceptionDispatchTests.ReadThroughNull+") >= 0, "trace: " + e.StackTrace);
        }

        Assert.Equal("Object reference not set to an instance of an object.", caught);
        Assert.Equal(raisedBefore + 1, HardwareExceptions.Raised);
    }

    [KernelTest(Suite = "exceptions")]
    public static void NullDereference_WithInterruptsOn_LeavesThemOn()
    {
        bool wasOn = Cpu.InterruptsEnabled;
        Cpu.EnableInterrupts();
        bool onInCatch = false;
        try
        {
            ReadThroughNull(null);
        }
        catch (NullReferenceException)
        {
            onInCatch = Cpu.InterruptsEnabled;
        }

        if (!wasOn)
            Cpu.DisableInterrupts();
        Assert.True(onInCatch, "interrupts were off in the catch after a hardware fault");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Divide(int a, int b) => a / b;

    [KernelTest(Suite = "exceptions")]
    public static void ThrowHelpers_RaiseTheExceptionsDotNetRaises()
    {
        int zero = 0;
        int[] array = new int[2];
        object text = "text";
        Assert.Equal("Attempted to divide by zero.", MessageOf(() => Divide(1, zero)));
        Assert.Equal("Index was outside the bounds of the array.", MessageOf(() => array[zero + 5] = 1));
        Assert.Equal("System.InvalidCastException", TypeOf(() => s_null = (Box)text));
        Assert.Equal("System.OverflowException", TypeOf(() => s_null = checked(int.MaxValue + (zero + 1))));
        Assert.Equal("System.ArgumentOutOfRangeException", TypeOf(() => "abc".Substring(zero + 5)));
    }

    private static string MessageOf(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e)
        {
            return e.Message;
        }

        return "(no exception)";
    }

    private static string TypeOf(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e)
        {
            string text = e.ToString();
            return text.Substring(0, text.IndexOf(':'));
        }

        return "(no exception)";
    }

    [KernelTest(Suite = "exceptions")]
    public static void Exception_MessageInnerExceptionAndToString()
    {
        try
        {
            try
            {
                Throw("inner message");
            }
            catch (Exception e)
            {
                throw new InvalidOperationException("outer message", e);
            }
        }
        catch (InvalidOperationException e)
        {
            Assert.Equal("outer message", e.Message);
            Assert.Equal("inner message", e.InnerException.Message);
            string text = e.ToString();
            Assert.True(text.StartsWith("System.InvalidOperationException: outer message\n ---> System.InvalidOperationException: inner message\n   at Kernel.Tests.ExceptionDispatchTests.Throw+0x"), text);
            Assert.True(text.IndexOf("--- End of inner exception stack trace ---") > 0, text);
        }

        Assert.Equal("Exception of type 'System.Exception' was thrown.", new Exception().Message);
    }

    [KernelTest(Suite = "exceptions")]
    public static void HundredThousandThrowCatchPairs_LeaveTheStackWhereItWas()
    {
        const int Pairs = 100_000;
        ulong before = Cpu.StackPointer.Value;
        ulong heapBefore = Internal.Runtime.RuntimeAllocator.AllocatedBytes;
        int sum = ThrowCatchPairs.OneFrameLoop(Pairs);
        ulong after = Cpu.StackPointer.Value;
        Assert.Equal(Pairs, sum);
        Assert.Equal(before, after);
        Assert.True(Internal.Runtime.RuntimeAllocator.AllocatedBytes - heapBefore < 4096, "throwing a preallocated exception allocated");
    }

    [KernelTest(Suite = "exceptions")]
    public static void ThrowCatch_CostIsMeasured()
    {
        // The pairs are in ThrowCatchPairs.cs, which the benchmark also runs on the host.
        const int Rounds = 2_000;
        ThrowCatchPairs.OneFrame(0);
        ulong start = Cpu.ReadTimeStampCounter();
        int caught = ThrowCatchPairs.OneFrameLoop(Rounds);
        ulong one = Cpu.ReadTimeStampCounter() - start;
        start = Cpu.ReadTimeStampCounter();
        caught += ThrowCatchPairs.TenFramesLoop(Rounds);
        ulong ten = Cpu.ReadTimeStampCounter() - start;
        Assert.Equal(2 * Rounds, caught);
        KernelLog.WriteLine("[bench] throw-catch-1-frame-cycles " + (one / Rounds).ToString());
        KernelLog.WriteLine("[bench] throw-catch-10-frames-cycles " + (ten / Rounds).ToString());
        if (TimeStampCounter.IsCalibrated)
            KernelLog.WriteLine("[bench] tsc-hz " + TimeStampCounter.FrequencyHz.ToString());
    }

    private static void ThrowingHandler(InterruptFrame* frame) => Throw("thrown by an interrupt handler");

    // An exception may not leave an interrupt handler: the stack walk stops at the dispatcher's
    // [UnmanagedCallersOnly] frame and the kernel reports the exception with its trace.
    [KernelTest(Suite = "exceptions", ExpectedPanic = "System.InvalidOperationException: thrown by an interrupt handler (unhandled exception")]
    public static void ThrowInAnInterruptHandler_EndsInTheFatalReport()
    {
        byte vector = 0x80;
        while (InterruptDispatcher.IsRegistered(vector))
            vector++;
        InterruptDispatcher.Register(vector, &ThrowingHandler);
        NativeInterrupts.SoftwareInterrupt(vector);
    }
}
