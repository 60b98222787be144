// The timer heap: 10,000 timers come out in deadline order (ties in the
// order they were added), and removing from the middle keeps the order.
using Shared.Tasks;
using Xunit;

namespace Host.Tests.Tasks;

public sealed class TimerHeapTests
{
    [Fact]
    public void TenThousandTimers_ExpireInDeadlineOrder_TiesInAddOrder()
    {
        var random = new Random(1234);
        var heap = new TimerHeap();
        var timers = new List<TimerHeap.Timer>();
        for (int i = 0; i < 10_000; i++)
        {
            var timer = new TimerHeap.Timer((ulong)random.Next(0, 2_000));
            timers.Add(timer);
            heap.Add(timer);
        }

        var expected = timers.Select((t, i) => (t, i)).OrderBy(x => x.t.Deadline).ThenBy(x => x.i).Select(x => x.t).ToList();
        var fired = new List<TimerHeap.Timer>();
        for (ulong now = 0; now <= 2_000 + 7; now += 7)
        {
            while (heap.TryTakeExpired(now, out TimerHeap.Timer? timer))
            {
                Assert.True(timer!.Deadline <= now);
                fired.Add(timer);
            }
        }

        Assert.Equal(expected, fired);
        Assert.Equal(0, heap.Count);
    }

    [Fact]
    public void Remove_FromTheMiddle_KeepsTheOthersInOrder()
    {
        var random = new Random(99);
        var heap = new TimerHeap();
        var timers = Enumerable.Range(0, 500).Select(_ => new TimerHeap.Timer((ulong)random.Next(1000))).ToList();
        timers.ForEach(heap.Add);
        var removed = timers.Where((_, i) => i % 3 == 0).ToList();
        foreach (TimerHeap.Timer timer in removed)
            Assert.True(heap.Remove(timer));
        Assert.False(heap.Remove(removed[0]));
        Assert.All(removed, t => Assert.False(t.IsWaiting));

        var fired = new List<ulong>();
        while (heap.TryTakeExpired(ulong.MaxValue, out TimerHeap.Timer? timer))
            fired.Add(timer!.Deadline);
        Assert.Equal(timers.Count - removed.Count, fired.Count);
        Assert.Equal(fired.OrderBy(d => d), fired);
    }
}
