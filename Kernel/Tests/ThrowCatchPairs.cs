// The throw+catch pairs the exception benchmark times, one source for both sides of it: the kernel
// test ExceptionDispatchTests.ThrowCatch_CostIsMeasured runs them in the kernel (TSC cycles), and
// tests/Bench/ThrowCatchBenchmarks.cs compiles this same file into the benchmark and runs them under
// .NET 10 on the host as the peer. So the two figures always measure the same C#. The file uses only
// what both runtime libraries have (no kernel types). The methods are NoInlining so that the throw,
// the recursion and the catch are frames of their own.
using System;
using System.Runtime.CompilerServices;

namespace Kernel.Tests;

public static class ThrowCatchPairs
{
    // Every throw reuses one preallocated exception: until the collector existed, 100,000 fresh
    // exception objects would fill the early bump heap; now it keeps allocation out of what is timed
    // (its trace array is allocated once and reused by every throw).
    private static readonly InvalidOperationException s_reused = new("reused");

    /// <summary>Throws and catches once, the catch one frame above the throw; returns <paramref name="i"/> + 1 when caught.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int OneFrame(int i)
    {
        try
        {
            ThrowReused();
        }
        catch (InvalidOperationException)
        {
            return i + 1;
        }

        return i;
    }

    /// <summary>Throws and catches once, the catch ten frames above the throw; returns <paramref name="i"/> + 1 when caught.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int TenFrames(int i)
    {
        try
        {
            RecurseReused(9);
        }
        catch (InvalidOperationException)
        {
            return i + 1;
        }

        return i;
    }

    /// <summary><paramref name="rounds"/> pairs of <see cref="OneFrame"/>; returns the count caught (= rounds).</summary>
    public static int OneFrameLoop(int rounds)
    {
        int sum = 0;
        for (int i = 0; i < rounds; i++)
            sum = OneFrame(sum);
        return sum;
    }

    /// <summary><paramref name="rounds"/> pairs of <see cref="TenFrames"/>; returns the count caught (= rounds).</summary>
    public static int TenFramesLoop(int rounds)
    {
        int sum = 0;
        for (int i = 0; i < rounds; i++)
            sum = TenFrames(sum);
        return sum;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowReused() => throw s_reused;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int RecurseReused(int depth)
    {
        if (depth == 0)
            ThrowReused();
        return RecurseReused(depth - 1) + 1;
    }
}
