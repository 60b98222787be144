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
    public void LoneYieldingTask_IsResumedInPlace_EachResumeAPoll_AndReturnsToTheRunLoopEveryBatch()
    {
        // 1,000 yields: 1,001 polls. Resumed in place, the task goes back to the run loop once per batch of
        // LocalBatchPolls polls (so due timers and interrupt events get their turn), not once per await, and not
        // never. A round is one BeforePoll call.
        string[] result = YieldFastPathProbe.LoneYieldingTask(1000).Split(' ');
        Assert.Equal("1001", result[0]);
        int rounds = int.Parse(result[1]);
        int batches = (1001 + YieldFastPathProbe.BatchPolls - 1) / YieldFastPathProbe.BatchPolls;
        Assert.InRange(rounds, batches, batches + 2);

        // All but each batch's first poll (the one the run loop makes) resume in place.
        Assert.InRange(int.Parse(result[2]), 1001 - rounds, 1000);
    }

    [Fact]
    public void DueTimer_RunsWithinABatch_OfATaskThatKeepsYielding()
    {
        int late = YieldFastPathProbe.StepsBeforeADueTimerRuns();
        Assert.InRange(late, 0, YieldFastPathProbe.BatchPolls);
    }

    [Fact]
    public void InterruptWake_EndsTheDirectResumes_TheWokenTaskRunsAfterOneMoreStep()
    {
        // The yielder sets the signal in step 5; its step 6 was already due (task-context wakes go first in a
        // round), then the woken task runs (and stops the yielder). Without the check of the lock-free queue the
        // waiter would wait a whole batch.
        Assert.Equal("Y0 Y1 Y2 Y3 Y4 Y5 Y6 W", YieldFastPathProbe.WakeDuringDirectResumes(fromInterruptHandler: true));
    }

    [Fact]
    public void TaskContextWake_EndsTheDirectResumes_TheWokenTaskRunsNext()
    {
        // Completing the gate Posts the waiter's continuation (a task-context wake): the yielder's next await
        // queues behind the waiter, which runs right after step 5.
        Assert.Equal("Y0 Y1 Y2 Y3 Y4 Y5 W", YieldFastPathProbe.WakeDuringDirectResumes(fromInterruptHandler: false));
    }

    [Fact]
    public void SteadyStateYield_ThroughTheExecutor_AllocatesNothing()
    {
        (double _, double bytesPerAwait) = KernelTaskBenchmarks.YieldRoundTrip(3, 1000);
        Assert.Equal(0.0, bytesPerAwait);
    }
}
