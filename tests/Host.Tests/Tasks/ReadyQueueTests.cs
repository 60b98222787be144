// The executor's lock-free ready queue: FIFO, bounded, and safe with many
// producers racing (threads stand in for interrupt handlers).
using Shared.Tasks;
using Xunit;

namespace Host.Tests.Tasks;

public sealed class ReadyQueueTests
{
    [Fact]
    public void Fifo_AcrossWrapAround()
    {
        var queue = new ReadyQueue(4);
        for (int round = 0; round < 10; round++)
        {
            for (int i = 0; i < 3; i++)
                Assert.True(queue.TryEnqueue(round * 10 + i));
            for (int i = 0; i < 3; i++)
            {
                Assert.True(queue.TryDequeue(out int value));
                Assert.Equal(round * 10 + i, value);
            }
        }

        Assert.False(queue.TryDequeue(out _));
    }

    [Fact]
    public void Full_RefusesUntilAnEntryIsTaken()
    {
        var queue = new ReadyQueue(2);
        Assert.True(queue.TryEnqueue(1));
        Assert.True(queue.TryEnqueue(2));
        Assert.False(queue.TryEnqueue(3));
        Assert.Equal(2, queue.Count);
        Assert.True(queue.TryDequeue(out _));
        Assert.True(queue.TryEnqueue(3));
    }

    [Fact]
    public void ManyProducers_OneConsumer_EveryValueOnce_EachProducersInOrder()
    {
        const int Producers = 4;
        const int PerProducer = 50_000;
        var queue = new ReadyQueue(64);
        var last = new int[Producers];
        Array.Fill(last, -1);
        var threads = Enumerable.Range(0, Producers).Select(p => new Thread(() =>
        {
            for (int i = 0; i < PerProducer; i++)
            {
                while (!queue.TryEnqueue(p * PerProducer + i))
                    Thread.Yield();
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        int received = 0;
        while (received < Producers * PerProducer)
        {
            if (!queue.TryDequeue(out int value))
                continue;
            int producer = value / PerProducer;
            Assert.True(value % PerProducer > last[producer], "a producer's values arrive in order");
            last[producer] = value % PerProducer;
            received++;
        }

        threads.ForEach(t => t.Join());
        Assert.All(last, l => Assert.Equal(PerProducer - 1, l));
    }
}
