// The yield fast path (docs/async.md): with the kernel's own runtime library,
// `await Task.Yield()` in a kernel task hands the state-machine box to the task
// (TryQueueResume) instead of Posting a delegate, and the executor resumes it in
// the same FIFO order as everything else. Run through tests/Bench.KernelTasks,
// which compiles the kernel's Task/builders with Shared/Tasks.
extern alias KernelTasks;

using KernelTasks::Bench.KernelTasks;
using Xunit;

namespace Host.Tests.Tasks;

public class YieldFastPathTests
{
    [Fact]
    public void Builder_HandsTheBoxToAContextThatQueuesBoxes_NotADelegate()
    {
        Assert.Equal("2 0 2 done", YieldFastPathProbe.BuilderHandsOverTheBox());
    }

    [Fact]
    public void YieldedBoxes_ResumeInFifoOrder_WithOtherReadyTasks_AndPostedContinuations()
    {
        // Round by round, every ready task once, in wake order. A's completion of the gate Posts C's continuation
        // (the general path) while B is queued with its box: C is queued behind B, and B's next yield behind C.
        Assert.Equal(
            "A0 B0 C0 A1 B1 A2 B2 A3 B3 C1 C2",
            YieldFastPathProbe.InterleavedOrder());
    }

    [Fact]
    public void SteadyStateYield_ThroughTheExecutor_AllocatesNothing()
    {
        (double _, double bytesPerAwait) = KernelTaskBenchmarks.YieldRoundTrip(3, 1000);
        Assert.Equal(0.0, bytesPerAwait);
    }
}
