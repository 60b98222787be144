// The executor, Task/ValueTask and the async primitives in the kernel, all in
// one boot (suite "async"): tasks interleaving, Delay against the TSC, a
// thousand tasks through the 256-entry ready queue, the key stream fed by
// real keyboard interrupts, WhenAll/WhenAny, cancellation, and what awaiting
// allocates. Each test runs its tasks on the kernel's executor
// (KernelExecutor.Instance, which owns Task.Delay's timers) until they finish.
// Async code cannot sit in an unsafe class (CS4004), so this one is safe.
using System;
using System.Threading;
using System.Threading.Tasks;
using Internal.Runtime;
using Kernel.Arch;
using Kernel.Diagnostics;
using Kernel.Drivers;
using Kernel.Input;
using Kernel.Memory.Gc;
using Kernel.Tasks;
using Kernel.Testing;
using Kernel.Time;
using Shared.Console;
using Shared.Tasks;

namespace Kernel.Tests;

internal static class AsyncTests
{
    private static string s_log;
    private static int s_count;

    private static Executor Executor => KernelExecutor.Instance;

    private static void Run(string name, Func<Task> body)
    {
        ExecutorTask task = Executor.Spawn(name, body);
        Executor.RunUntilFinished(task);
        Assert.True(task.Completion.IsCompletedSuccessfully, "task '" + name + "' ran to completion");
    }

    [KernelTest(Suite = "async")]
    public static void Tasks_Interleave_AtEachYield_InWakeOrder()
    {
        s_log = "";
        ExecutorTask a = Executor.Spawn("a", () => Steps("a"));
        ExecutorTask b = Executor.Spawn("b", () => Steps("b"));
        Executor.RunUntilFinished(a);
        Executor.RunUntilFinished(b);
        Assert.Equal("a1 b1 a2 b2 a3 b3 ", s_log);
        Assert.True(a.State == ExecutorTaskState.Completed && b.State == ExecutorTaskState.Completed, "both completed");
        Assert.True(a.Polls == 3, "one poll per step: " + a.Polls.ToString());
    }

    // The direct resume (docs/async.md), compiled ahead of time: a task yielding while no other task is ready is
    // resumed in place, each resume a poll of its own. The clock and input tasks may take a turn in between.
    [KernelTest(Suite = "async")]
    public static void LoneYieldingTask_IsResumedInPlace_EachResumeAPoll()
    {
        ulong before = Executor.DirectResumes;
        ExecutorTask task = Executor.Spawn("lone", static async () =>
        {
            for (int i = 0; i < 1000; i++)
                await Task.Yield();
        });
        Executor.RunUntilFinished(task);
        Assert.True(task.Completion.IsCompletedSuccessfully, "the yielding task ran to completion");
        Assert.True(task.Polls == 1001, "one poll per step: " + task.Polls.ToString());
        ulong direct = Executor.DirectResumes - before;
        Assert.True(direct >= 900 && direct <= 1000, "resumed in place: " + direct.ToString() + " of 1,000 yields");
    }

    private static async Task Steps(string name)
    {
        for (int i = 1; i <= 3; i++)
        {
            s_log += name + i.ToString() + " ";
            if (i < 3)
                await Task.Yield();
        }
    }

    // Never early; late by at most one tick period (the tick is what wakes the idle CPU to notice a due timer),
    // judged on the median of five sleeps per duration so one late wake-up under a loaded host does not fail it.
    // The lateness is counted without the collector's pauses inside the sleep (none unless gc.stress collects at
    // the delay's or the executor's allocations): a collection keeps interrupts off, so a tick due in it, and the
    // timer behind it, wait for its end. A delay that fires a tick late fails all the same.
    [KernelTest(Suite = "async")]
    public static void Delay_NeverEarly_LateByAtMostATick_ByTheTsc()
    {
        ulong tickMicroseconds = 1_000_000 / SystemTimer.Hz;
        int[] durations = { 1, 7, 20, 55 };
        foreach (int ms in durations)
        {
            var lateness = new ulong[5];
            var paused = new ulong[5];
            for (int i = 0; i < lateness.Length; i++)
            {
                ulong elapsed = 0, pause = 0;
                Run("delay", async () =>
                {
                    ulong pauseBefore = GarbageCollector.Statistics.TotalPauseCycles;
                    ulong start = TimeStampCounter.Read();
                    await Task.Delay(ms);
                    ulong end = TimeStampCounter.Read();
                    pause = TimeStampCounter.ToMicroseconds(GarbageCollector.Statistics.TotalPauseCycles - pauseBefore);
                    elapsed = TimeStampCounter.ToMicroseconds(end - start);
                });
                Assert.True(elapsed >= (ulong)ms * 1000, "Delay(" + ms.ToString() + ") returned after " + elapsed.ToString() + " us");
                ulong late = elapsed - (ulong)ms * 1000;
                lateness[i] = late > pause ? late - pause : 0;
                paused[i] = pause;
            }

            Array.Sort(lateness);
            Array.Sort(paused);
            Assert.True(lateness[2] <= tickMicroseconds, "Delay(" + ms.ToString() + ") late by a median " + lateness[2].ToString() + " us beyond "
                + "collection pauses (longest " + paused[4].ToString() + " us), tick " + tickMicroseconds.ToString() + " us");
        }
    }

    // More tasks than the ready queue holds, all woken at once: the overflow sweep runs them, none is lost.
    [KernelTest(Suite = "async")]
    public static void ThousandTasks_AllComplete_ThroughAFullReadyQueue()
    {
        const int Count = 1000;
        s_count = 0;
        int tasksBefore = Executor.TaskCount;
        ulong overflowsBefore = Executor.ReadyQueueOverflows;
        var tasks = new Task[Count];
        for (int i = 0; i < Count; i++)
            tasks[i] = Executor.Spawn("worker", Worker).Completion;
        Run("join", () => Task.WhenAll(tasks));
        Assert.Equal(3L * Count, s_count);
        Assert.True(Executor.ReadyQueueOverflows > overflowsBefore, "1,000 tasks overflowed the 256-entry ready queue");
        Assert.Equal((long)tasksBefore, Executor.TaskCount);
    }

    private static async Task Worker()
    {
        for (int i = 0; i < 3; i++)
        {
            s_count++;
            await Task.Yield();
        }
    }

    // Real keyboard interrupts (the i8042 injects each byte as if typed): IRQ1 -> input task -> key stream reader.
    [KernelTest(Suite = "async")]
    public static void KeyStream_FedByInjectedScancodes_DeliversKeysInOrder()
    {
        Assert.True(Ps2Keyboard.InterruptsEnabled, "QEMU's i8042 is there");
        DrainInput();
        ExecutorTask input = KeyStream.StartInputTask();
        string read = "";
        var reader = Executor.Spawn("reader", async () =>
        {
            while (read.Length < 5)
            {
                KeyPress? key = await KeyStream.ReadAsync();
                read += key.Value.Character.ToString();
            }
        });
        Executor.Spawn("typist", async () =>
        {
            byte[] codes = { 0x23, 0x17, 0x39, 0x1E, 0x30 }; // h i space a b
            foreach (byte code in codes)
            {
                Inject(code);
                Inject((byte)(code | 0x80));
                await Task.Yield();
            }
        });
        Executor.RunUntilFinished(reader);
        Assert.Equal("hi ab", read);
        Assert.True(KeyStream.LastLatencyCycles != 0, "the latency was measured");

        // The last release byte may still be on its way (the i8042 raises IRQ1 for it once the press is read), so
        // the input task may be ready once more; given a few rounds it decodes it and waits again.
        for (int round = 0; round < 16 && input.State != ExecutorTaskState.Waiting; round++)
            Executor.RunReady();
        Assert.True(input.State == ExecutorTaskState.Waiting, "the input task waits for the next interrupt");
    }

    // Keyboard IRQ to the awaiting task running, in TSC cycles: one key at a time, the median of 31.
    [KernelTest(Suite = "async")]
    public static void KeyStream_InterruptToTaskLatency_Measured()
    {
        DrainInput();
        KeyStream.StartInputTask(); // the bench runs this test alone (ktest.test=...): the input task must exist
        const int Keys = 31;
        var cycles = new ulong[Keys];
        int got = 0;
        var reader = Executor.Spawn("latency-reader", async () =>
        {
            while (got < Keys)
            {
                KeyPress? key = await KeyStream.ReadAsync();
                if (key is KeyPress press && press.Character == 'x')
                    cycles[got++] = KeyStream.LastLatencyCycles;
            }
        });
        Executor.Spawn("latency-typist", async () =>
        {
            for (int i = 0; i < Keys; i++)
            {
                int before = got;
                Inject(0x2D); // x pressed: the press is the key
                while (got == before)
                    await Task.Yield();
                Inject(0xAD);
            }
        });
        Executor.RunUntilFinished(reader);
        Array.Sort(cycles);
        KernelLog.WriteLine("[bench] irq-to-task-cycles " + cycles[Keys / 2].ToString());
        Assert.True(cycles[Keys / 2] > 0 && cycles[Keys / 2] < TimeStampCounter.FromMicroseconds(10_000), "median " + cycles[Keys / 2].ToString() + " cycles");
    }

    [KernelTest(Suite = "async")]
    public static void WhenAll_WaitsForEvery_WhenAny_ReturnsTheFirst()
    {
        Run("when", async () =>
        {
            // The fast delay is made first, so it is due first however long the slow one's allocations take (a
            // gc.stress collection between the two once took longer than the 35 ms between their deadlines); the
            // slow one is passed first, so WhenAny cannot pass by taking its first argument.
            Task fast = Task.Delay(5);
            ulong slowStart = TimeStampCounter.Read();
            Task slow = Task.Delay(40);
            Task<int> value = Answer();
            Task<Task> first = Task.WhenAny(slow, fast);
            Assert.Same(fast, await first);
            ulong sinceSlow = TimeStampCounter.ToMicroseconds(TimeStampCounter.Read() - slowStart);
            Assert.True(!slow.IsCompleted || sinceSlow >= 40_000, "the 40 ms delay completed after " + sinceSlow.ToString() + " us");
            await Task.WhenAll(slow, fast, value);
            Assert.True(slow.IsCompletedSuccessfully && value.Result == 42, "all three completed");
            Assert.True(Task.WhenAll(Task.CompletedTask, Task.FromResult(1)).IsCompletedSuccessfully, "WhenAll of completed tasks is complete");
        });
    }

    private static async Task<int> Answer()
    {
        await Task.Delay(10);
        return 42;
    }

    // A canceled delay completes canceled at once and leaves the timer heap; the key stream returns null.
    [KernelTest(Suite = "async")]
    public static void Cancellation_EndsDelayAndKeyRead_AndRemovesTheTimer()
    {
        DrainInput();
        Run("cancel", async () =>
        {
            var source = new CancellationTokenSource();
            int timersBefore = Executor.PendingTimers;
            Task delay = Task.Delay(60_000, source.Token);
            Assert.Equal((long)timersBefore + 1, Executor.PendingTimers);
            ValueTask<KeyPress?> key = KeyStream.ReadAsync(source.Token);
            Task cancel = CancelSoon(source);
            await delay.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
            Assert.True(delay.IsCanceled, "the delay was canceled");
            Assert.Equal((long)timersBefore, Executor.PendingTimers);
            Assert.True(await key is null, "the key read ended without a key");
            Assert.True(Task.Delay(5, source.Token).IsCanceled, "a delay with a canceled token is canceled at once");
            await cancel;
        });
    }

    private static async Task CancelSoon(CancellationTokenSource source)
    {
        await Task.Delay(20);
        source.Cancel();
    }

    // Awaiting completed Tasks and ValueTasks allocates nothing; a method that suspends allocates the same
    // whether it awaits twice or twenty times (its box once, then nothing per await).
    [KernelTest(Suite = "async")]
    public static void Awaiting_AllocatesNothingPerAwait_OneBoxPerSuspendingCall()
    {
        ulong completedAwaits = 0;
        ulong twoYields = 0;
        ulong twentyYields = 0;
        Task<int> completedInt = Task.FromResult(7);
        Run("allocations", async () =>
        {
            await Task.Yield(); // this method's own box now exists

            // One round first: its awaits run class constructors the yield fast path no longer reaches (Task's
            // statics: the completed task, the cached Post callback), which allocate once per boot, not per await.
            await Task.CompletedTask;
            await new ValueTask<int>(0);
            await completedInt;

            // And this method's first await of a Task: its box's MoveNext delegate (which Task.Yield, taking the
            // box itself, never needs) is made once, here.
            await Yields(1);
            ulong before = RuntimeAllocator.AllocationCount;
            for (int i = 0; i < 1000; i++)
            {
                await Task.CompletedTask;
                await new ValueTask<int>(i);
                await completedInt;
            }

            completedAwaits = RuntimeAllocator.AllocationCount - before;
            before = RuntimeAllocator.AllocationCount;
            await Yields(2);
            twoYields = RuntimeAllocator.AllocationCount - before;
            before = RuntimeAllocator.AllocationCount;
            await Yields(20);
            twentyYields = RuntimeAllocator.AllocationCount - before;
        });
        Assert.Equal(0UL, completedAwaits);
        Assert.True(twoYields > 0, "a suspending call allocates its box");
        Assert.Equal(twoYields, twentyYields);
    }

    private static async Task Yields(int count)
    {
        for (int i = 0; i < count; i++)
            await Task.Yield();
    }

    private static void DrainInput()
    {
        InputPump.Pump();
        while (ConsoleInput.TryReadKey(out _))
        {
        }
    }

    private static void Inject(byte code)
    {
        Assert.True(Ps2Controller.TryInjectKeyboardByte(code), "the i8042 accepts command 0xD2");
        ulong start = TimeStampCounter.Read();
        ulong limit = TimeStampCounter.FromMicroseconds(100_000);
        while (Ps2Controller.OutputBufferFull)
        {
            Assert.True(TimeStampCounter.Read() - start < limit, "no keyboard interrupt took the byte within 100 ms");
            Cpu.Pause();
        }
    }
}
