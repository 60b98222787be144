// The runtime library at work inside the kernel: every language feature the
// project's System.Private.CoreLib promises, exercised after ILCompiler has
// compiled it for real. Each test is its own xunit case in tests/Boot.Tests.
// One class in several files, by feature (RuntimeTests.*.cs); this one holds
// allocation and the failures that must become clear panics.
using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Internal.Runtime;
using Kernel.Testing;

namespace Kernel.Tests;

internal static unsafe partial class RuntimeTests
{
    // ---------------------------------------------------------------- allocation

    // Objects that escape (stored in statics): the compiler's escape analysis would put
    // non-escaping ones on the stack, which is correct but bypasses the allocator.
    private static object s_keptCounter;
    private static int[] s_keptArray;

    [KernelTest]
    public static void Allocation_GoesThroughTheRuntimeAllocator()
    {
        ulong count = RuntimeAllocator.AllocationCount;
        ulong bytes = RuntimeAllocator.AllocatedBytes;
        var counter = new Counter();
        int[] array = new int[100];
        s_keptCounter = counter;
        s_keptArray = array;
        Assert.NotNull(s_keptCounter);
        Assert.Equal(100, array.Length);
        Assert.Equal(count + 2, RuntimeAllocator.AllocationCount);
        Assert.True(RuntimeAllocator.AllocatedBytes >= bytes + 400, "the array's 400 bytes were counted");
        Assert.Equal(0UL, (ulong)s_keptArray[99]);
    }

    // ---------------------------------------------------------------- failures become clear panics

    [KernelTest(ExpectedPanic = "System.IndexOutOfRangeException: Index was outside the bounds of the array.")]
    public static void Panic_IndexOutOfRange_NamesTheException()
    {
        int[] small = new int[2];
        int index = small.Length + Environment.TickCountForTests;
        small[index] = 1;
    }

    [KernelTest(ExpectedPanic = "System.OverflowException")]
    public static void Panic_CheckedOverflow_NamesTheException()
    {
        int big = int.MaxValue - Environment.TickCountForTests;
        int result = checked(big + 1);
        Assert.Fail("unreachable: " + result.ToString());
    }

    [KernelTest(ExpectedPanic = "System.InvalidCastException")]
    public static void Panic_InvalidCast_NamesTheException()
    {
        object text = Environment.TickCountForTests == 0 ? "text" : null;
        var shape = (Shape)text;
        Assert.Fail("unreachable: " + shape.Name);
    }

    [KernelTest(ExpectedPanic = "System.InvalidOperationException: thrown on purpose")]
    public static void Panic_Throw_NamesTheExceptionAndMessage()
    {
        if (Environment.TickCountForTests == 0)
            throw new InvalidOperationException("thrown on purpose");
    }

    [KernelTest(ShouldPanic = true)]
    public static void Panic_ExplicitPanicReachesTheHandler()
        => Diagnostics.Panic.Fail("deliberate panic from a should-panic test");

    // Zero, in a way the compiler cannot see (the time-stamp counter never reaches 2^63).
    private static class Environment
    {
        public static int TickCountForTests => (int)(Arch.Cpu.ReadTimeStampCounter() >> 63);
    }
}
