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

    // The runtime's checks throw what .NET throws (they were panics before exceptions could be caught).
    [KernelTest]
    public static void IndexOutOfRange_ThrowsIndexOutOfRangeException()
    {
        int[] small = new int[2];
        int index = small.Length + Environment.TickCountForTests;
        try
        {
            small[index] = 1;
            Assert.Fail("no exception");
        }
        catch (IndexOutOfRangeException e)
        {
            Assert.Equal("Index was outside the bounds of the array.", e.Message);
        }
    }

    [KernelTest]
    public static void CheckedOverflow_ThrowsOverflowException()
    {
        int big = int.MaxValue - Environment.TickCountForTests;
        try
        {
            int result = checked(big + 1);
            Assert.Fail("unreachable: " + result.ToString());
        }
        catch (OverflowException e)
        {
            Assert.Equal("Arithmetic operation resulted in an overflow.", e.Message);
        }
    }

    [KernelTest]
    public static void InvalidCast_ThrowsInvalidCastException()
    {
        object text = Environment.TickCountForTests == 0 ? "text" : null;
        try
        {
            var shape = (Shape)text;
            Assert.Fail("unreachable: " + shape.Name);
        }
        catch (InvalidCastException e)
        {
            Assert.True(e.Message.StartsWith("Specified cast is not valid"), e.Message);
        }
    }

    [KernelTest]
    public static void Throw_IsCaught_WithItsMessage()
    {
        try
        {
            if (Environment.TickCountForTests == 0)
                throw new InvalidOperationException("thrown on purpose");
        }
        catch (InvalidOperationException e)
        {
            Assert.Equal("thrown on purpose", e.Message);
            return;
        }

        Assert.Fail("no exception");
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
