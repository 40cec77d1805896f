using ReplicatedLog.Master.Health;
using ReplicatedLog.Master.Replication;
using ReplicatedLog.Core.Contracts;

namespace ReplicatedLog.Tests.Unit;

public sealed class RulesTests
{
    [Theory]
    [InlineData("1", 2, 1)]
    [InlineData("3", 2, 3)]
    [InlineData("majority", 0, 1)]
    [InlineData("majority", 1, 2)]
    [InlineData("majority", 2, 2)]
    [InlineData("majority", 3, 3)]
    [InlineData("MAJORITY", 4, 3)]
    [InlineData("all", 0, 1)]
    [InlineData("all", 2, 3)]
    [InlineData("All", 5, 6)]
    public void WriteConcernResolvesAgainstTheClusterSize(string text, int secondaries, int nodes)
    {
        Assert.True(WriteConcern.TryParse(text, out var concern));
        Assert.Equal(nodes, concern!.Value.Resolve(secondaries));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    [InlineData("most")]
    [InlineData("")]
    [InlineData(null)]
    public void WriteConcernRefusesWhatIsNotANumberOrAWord(string? text) =>
        Assert.False(WriteConcern.TryParse(text, out _));

    [Theory]
    [InlineData(0, 0, true)]
    [InlineData(0, 1, false)]
    [InlineData(1, 1, true)]
    [InlineData(0, 2, false)]
    [InlineData(1, 2, true)]
    [InlineData(2, 3, true)]
    [InlineData(1, 3, false)]
    [InlineData(0, 3, false)]
    [InlineData(1, 4, false)]
    [InlineData(2, 4, true)]
    public void QuorumNeedsTheMasterAndItsReachableSecondariesToBeAMajority(int reachable, int secondaries, bool met) =>
        Assert.Equal(met, QuorumRule.IsMet(reachable, secondaries));

    [Fact]
    public void HeartbeatHealthGoesSuspectedThenUnhealthyAndHealthyOnAnAnswer()
    {
        var health = new HeartbeatHealth(unhealthyAfterMisses: 3);
        Assert.Equal(SecondaryStatus.Unhealthy, health.Status);
        health.Answered();
        Assert.Equal(SecondaryStatus.Healthy, health.Status);
        var seen = new List<SecondaryStatus>();
        for (var i = 0; i < 4; i++)
        {
            health.Missed();
            seen.Add(health.Status);
        }

        Assert.Equal([SecondaryStatus.Suspected, SecondaryStatus.Suspected, SecondaryStatus.Unhealthy, SecondaryStatus.Unhealthy], seen);
        Assert.Equal(4, health.Misses);
        Assert.Equal(SecondaryStatus.Unhealthy, health.Answered());
        Assert.Equal(SecondaryStatus.Healthy, health.Status);
    }
}
