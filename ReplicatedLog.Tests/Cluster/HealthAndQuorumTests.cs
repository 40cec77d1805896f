using System.Net;
using ReplicatedLog.Core.Contracts;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Cluster;

/// <summary>Heartbeats, the health a secondary goes through, and the read-only master without quorum.</summary>
public sealed class HealthAndQuorumTests
{
    [Fact]
    public async Task AMasterStartedWithItsSecondariesUpIsWritableFromItsFirstRequest()
    {
        // No waiting for writability: the master takes requests only after its first heartbeat round.
        await using var cluster = await TestCluster.StartAsync(secondaries: 2,
            master: new() { ["Health:HeartbeatIntervalMs"] = "60000" });

        var health = await TestCluster.HealthAsync(cluster.MasterUrl);
        Assert.False(health.GetProperty("readOnly").GetBoolean(), health.ToString());
        // The start-up warm-up ran the append and apply paths on scratch logs: nothing of it is in the real ones.
        Assert.Equal(0, health.GetProperty("lastIndex").GetInt64());
        foreach (var secondary in cluster.Secondaries)
        {
            var replica = await TestCluster.HealthAsync(secondary.Url);
            Assert.Equal((0L, ""), (replica.GetProperty("appliedIndex").GetInt64(), replica.GetProperty("logId").GetString()));
        }

        var first = await cluster.AppendOkAsync("first", 3);
        Assert.Equal((1L, 3), (first.Index, first.Acks));
        await cluster.WaitForConvergenceAsync(["first"]);
    }

    [Fact]
    public async Task ASecondaryGoesHealthySuspectedUnhealthyAndBackToHealthyAsItLeavesAndReturns()
    {
        await using var cluster = await TestCluster.StartAsync(secondaries: 1,
            master: new() { ["Health:UnhealthyAfterMisses"] = "3" });
        await cluster.WaitForStatusAsync(0, SecondaryStatus.Healthy);
        var peer = cluster.Registry.Peers[0];
        var seen = new List<SecondaryStatus>();
        peer.StatusChanged += (_, _, after) =>
        {
            lock (seen)
            {
                seen.Add(after);
            }
        };

        await cluster.StopSecondaryAsync(0);
        await cluster.WaitForStatusAsync(0, SecondaryStatus.Unhealthy);
        await cluster.StartSecondaryAsync(0);
        await cluster.WaitForStatusAsync(0, SecondaryStatus.Healthy);

        lock (seen)
        {
            Assert.Equal([SecondaryStatus.Suspected, SecondaryStatus.Unhealthy, SecondaryStatus.Healthy], seen);
        }

        var health = await TestCluster.HealthAsync(cluster.MasterUrl);
        var reported = health.GetProperty("secondaries")[0];
        Assert.Equal(0, reported.GetProperty("missedHeartbeats").GetInt32());
        Assert.Equal(0, reported.GetProperty("lag").GetInt64());
    }

    [Fact]
    public async Task WithoutQuorumAppendsGet503WhileReadsWorkAndQuorumBackMakesTheMasterWritable()
    {
        await using var cluster = await TestCluster.StartAsync(secondaries: 2);
        await cluster.WaitForWritableAsync();
        await cluster.AppendOkAsync("before", "all");

        await cluster.StopSecondaryAsync(0);
        await cluster.StopSecondaryAsync(1);
        await cluster.WaitForWritableAsync(false);

        using (var refused = await cluster.AppendAsync(new { message = "refused", w = 1 }))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains("read-only", await refused.Content.ReadAsStringAsync());
        }

        Assert.Equal(["before"], await TestCluster.MessagesAsync(cluster.MasterUrl));

        await cluster.StartSecondaryAsync(0);
        await cluster.WaitForWritableAsync();
        await cluster.AppendOkAsync("after", 2);
        Assert.Equal(["before", "after"], await TestCluster.MessagesAsync(cluster.MasterUrl));
    }

    [Fact]
    public async Task WithQuorumOffTheMasterStaysWritableAlone()
    {
        await using var cluster = await TestCluster.StartAsync(secondaries: 2, started: [],
            master: new() { ["Quorum:Enabled"] = "false" });
        Assert.Equal(1, (await cluster.AppendOkAsync("alone", 1)).Acks);
    }
}
