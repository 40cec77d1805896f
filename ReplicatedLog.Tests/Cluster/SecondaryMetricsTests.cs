using System.Net;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Cluster;

/// <summary>A secondary's meter tells how far its log has come, what it holds back, and how slow it is told to be.</summary>
public sealed class SecondaryMetricsTests
{
    private const string Applied = "replicatedlog.secondary.applied_index";
    private const string HeldBack = "replicatedlog.secondary.held_back";
    private const string Delay = "replicatedlog.secondary.delay";

    [Fact]
    public async Task TheDelayReadsTheConfiguredDelayAndFollowsAChange()
    {
        await using var cluster = await TestCluster.StartAsync(secondaries: 1,
            secondary: _ => new() { ["Replication:DelayMs"] = "40" });
        var secondary = cluster.Secondaries[0];
        using var readings = new MeterReadings(secondary.App!);
        Assert.Equal(40, readings.Read(Delay));

        using (var changed = await TestCluster.SendRawAsync(HttpMethod.Put, new Uri(secondary.Url, "admin/delay"), "{\"delayMs\": 250}"))
        {
            Assert.True(changed.IsSuccessStatusCode, $"PUT /admin/delay answered {(int)changed.StatusCode}");
        }

        Assert.Equal(250, readings.Read(Delay));
    }

    [Fact]
    public async Task TheAppliedIndexFollowsAppendsAndAnEntryAheadOfAGapIsCountedAsHeldBack()
    {
        await using var cluster = await TestCluster.StartAsync(secondaries: 1);
        await cluster.WaitForWritableAsync();
        var secondary = cluster.Secondaries[0];
        using var readings = new MeterReadings(secondary.App!);
        Assert.Equal((0.0, 0.0), (readings.Read(Applied), readings.Read(HeldBack)));

        foreach (var message in new[] { "m1", "m2", "m3" })
        {
            await cluster.AppendOkAsync(message, 2);
        }

        Assert.Equal((3.0, 0.0), (readings.Read(Applied), readings.Read(HeldBack)));

        // An entry ahead of the log (index 5, with 4 missing), as if from this master run: held back, not applied.
        var health = await TestCluster.HealthAsync(cluster.MasterUrl);
        var (logId, generation) = (health.GetProperty("logId").GetString(), health.GetProperty("generation").GetInt64());
        using (var ahead = await TestCluster.SendRawAsync(HttpMethod.Post, new Uri(secondary.Url, "replication/append"),
            $"{{\"logId\": \"{logId}\", \"generation\": {generation}, \"entries\": [{{\"index\": 5, \"message\": \"early\", \"generation\": {generation}}}]}}"))
        {
            Assert.Equal(HttpStatusCode.OK, ahead.StatusCode);
        }

        Assert.Equal((3.0, 1.0), (readings.Read(Applied), readings.Read(HeldBack)));
    }
}
