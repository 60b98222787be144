// When the "queue full; dropping input" warning is due: at once for the first
// drop, then at most once per interval with the count since the last one.
using Shared.Collections;
using Xunit;

namespace Host.Tests.Collections;

public sealed class DropReporterTests
{
    [Fact]
    public void NoDrops_NoWarning()
    {
        var reporter = new DropReporter(1000);
        Assert.False(reporter.ShouldWarn(0, 5, out uint newlyDropped));
        Assert.Equal(0u, newlyDropped);
    }

    [Fact]
    public void FirstDrop_WarnsAtOnce_ThenOncePerInterval_WithTheAccumulatedCount()
    {
        var reporter = new DropReporter(1000);

        Assert.True(reporter.ShouldWarn(3, 10_000, out uint first));
        Assert.Equal(3u, first);
        Assert.False(reporter.ShouldWarn(50, 10_500, out uint suppressed));
        Assert.Equal(0u, suppressed);
        Assert.False(reporter.ShouldWarn(80, 10_999, out _));
        Assert.True(reporter.ShouldWarn(90, 11_000, out uint second));
        Assert.Equal(87u, second);
        Assert.False(reporter.ShouldWarn(90, 20_000, out _), "nothing new dropped");
        Assert.True(reporter.ShouldWarn(91, 20_001, out uint third));
        Assert.Equal(1u, third);
    }

    [Fact]
    public void DropCounter_WrappingAround_StillCountsTheDifference()
    {
        var reporter = new DropReporter(0);
        Assert.True(reporter.ShouldWarn(uint.MaxValue - 1, 1, out _));
        Assert.True(reporter.ShouldWarn(2, 2, out uint wrapped));
        Assert.Equal(4u, wrapped);
    }
}
