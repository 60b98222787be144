// The single-producer/single-consumer ring: FIFO order, full and empty
// behaviour, counter wrap-around, and two real threads hammering it (seeded
// random bursts) without losing, duplicating, reordering or tearing items.
using System.Reflection;
using Shared.Collections;
using Xunit;

namespace Host.Tests.Collections;

public sealed class SpscRingTests
{
    private struct Payload
    {
        public ulong Sequence;
        public ulong Check; // ~Sequence: a torn read would break the pair
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(100)]
    [InlineData(-4)]
    public void Capacity_MustBeAPowerOfTwoFromTwo(int capacity)
        => Assert.Throws<ArgumentOutOfRangeException>(() => new SpscRing<byte>(capacity));

    [Fact]
    public void Items_ComeOutInOrder()
    {
        var ring = new SpscRing<int>(8);
        for (int i = 0; i < 5; i++)
            Assert.True(ring.TryPush(i));
        Assert.Equal(5, ring.Count);
        for (int i = 0; i < 5; i++)
        {
            Assert.True(ring.TryPop(out int item));
            Assert.Equal(i, item);
        }

        Assert.True(ring.IsEmpty);
        Assert.False(ring.TryPop(out _));
    }

    [Fact]
    public void FullRing_RefusesAndCountsTheDrop_UntilTheConsumerMakesRoom()
    {
        var ring = new SpscRing<byte>(4);
        for (byte i = 0; i < 4; i++)
            Assert.True(ring.TryPush(i));

        Assert.False(ring.TryPush(99));
        Assert.False(ring.TryPush(100));
        Assert.Equal(2u, ring.DroppedCount);
        Assert.Equal(4, ring.Count);

        Assert.True(ring.TryPop(out byte first));
        Assert.Equal(0, first);
        Assert.True(ring.TryPush(4));
        byte[] rest = Enumerable.Range(0, 4).Select(_ => ring.TryPop(out byte b) ? b : (byte)0xFF).ToArray();
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, rest);
    }

    [Fact]
    public void Counters_WrapAroundTwoToThe32_WithoutLosingItems()
    {
        var ring = new SpscRing<uint>(4);
        SetCounter(ring, "_head", uint.MaxValue - 5);
        SetCounter(ring, "_tail", uint.MaxValue - 5);
        uint next = 0;
        uint expected = 0;
        for (int step = 0; step < 40; step++)
        {
            while (ring.TryPush(next))
                next++;
            Assert.Equal(4, ring.Count);
            for (int i = 0; i < 3; i++)
            {
                Assert.True(ring.TryPop(out uint item));
                Assert.Equal(expected++, item);
            }
        }
    }

    [Theory]
    [InlineData(1, 16)]
    [InlineData(2, 2)]
    [InlineData(3, 1024)]
    public void TwoThreads_Lossless_WhenTheProducerRetries(int seed, int capacity)
    {
        const ulong Count = 300_000;
        var ring = new SpscRing<Payload>(capacity);
        var producer = new Thread(() =>
        {
            var random = new Random(seed);
            for (ulong i = 0; i < Count; i++)
            {
                while (!ring.TryPush(new Payload { Sequence = i, Check = ~i }))
                    Thread.SpinWait(random.Next(1, 20));
                if (random.Next(1000) == 0)
                    Thread.Yield();
            }
        });
        producer.Start();

        var consumerRandom = new Random(seed * 7919);
        ulong expected = 0;
        while (expected < Count)
        {
            if (!ring.TryPop(out Payload item))
            {
                Thread.SpinWait(consumerRandom.Next(1, 20));
                continue;
            }

            Assert.Equal(expected, item.Sequence);
            Assert.Equal(~expected, item.Check);
            expected++;
        }

        producer.Join();
        Assert.True(ring.IsEmpty);
        Assert.True(ring.DroppedCount > 0 || capacity > 2, "a tiny ring must have been full at times");
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void TwoThreads_WhenTheProducerDrops_ReceivedPlusDroppedIsEverything_InOrder(int seed)
    {
        const ulong Count = 200_000;
        var ring = new SpscRing<Payload>(8);
        bool done = false;
        var producer = new Thread(() =>
        {
            var random = new Random(seed);
            for (ulong i = 0; i < Count; i++)
            {
                ring.TryPush(new Payload { Sequence = i, Check = ~i });
                if (random.Next(64) == 0)
                    Thread.SpinWait(random.Next(1, 200));
            }

            Volatile.Write(ref done, true);
        });
        producer.Start();

        ulong received = 0;
        long last = -1;
        while (true)
        {
            bool finished = Volatile.Read(ref done);
            while (ring.TryPop(out Payload item))
            {
                Assert.True((long)item.Sequence > last, "items stay in order");
                Assert.Equal(~item.Sequence, item.Check);
                last = (long)item.Sequence;
                received++;
            }

            if (finished)
                break;
        }

        producer.Join();
        Assert.Equal(Count, received + ring.DroppedCount);
    }

    // Moves a private free-running counter, as if 2^32 items had nearly passed through.
    private static void SetCounter<T>(SpscRing<T> ring, string field, uint value)
        where T : unmanaged
    {
        FieldInfo counterField = typeof(SpscRing<T>).GetField(field, BindingFlags.NonPublic | BindingFlags.Instance)!;
        object counter = counterField.GetValue(ring)!;
        counter.GetType().GetField("Value")!.SetValue(counter, value);
        counterField.SetValue(ring, counter);
    }
}
