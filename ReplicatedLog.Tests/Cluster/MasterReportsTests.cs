using System.Net;
using System.Net.Http.Json;
using ReplicatedLog.Core.Contracts;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Cluster;

/// <summary>What the master answers and shows is true: an acknowledgement means the node holds the master's entry now.</summary>
public sealed class MasterReportsTests
{
    [Fact]
    public async Task AnEntryHeldBackFromAnotherSenderNeverWinsOverTheMastersEntry()
    {
        await using var cluster = await TestCluster.StartAsync(secondaries: 1);
        await cluster.WaitForWritableAsync();
        var health = await TestCluster.HealthAsync(cluster.MasterUrl);
        var (logId, generation) = (health.GetProperty("logId").GetString(), health.GetProperty("generation").GetInt64());
        var secondary = cluster.Secondaries[0].Url;

        // Someone who can reach the secondary's replication route plants an entry ahead of the log, as if from this
        // master run (a request from an older one would be ignored).
        using (var planted = await TestCluster.SendRawAsync(HttpMethod.Post, new Uri(secondary, "replication/append"),
            $"{{\"logId\": \"{logId}\", \"generation\": {generation}, \"entries\": [{{\"index\": 2, \"message\": \"planted\", \"generation\": {generation}}}]}}"))
        {
            Assert.Equal(HttpStatusCode.OK, planted.StatusCode);
        }

        await cluster.AppendOkAsync("m1", 2);
        var m2 = await cluster.AppendOkAsync("m2", 2);

        Assert.Equal(2, m2.Index);
        // w=2 answered: the secondary holds the master's entry 2, not the planted one.
        Assert.Equal(["m1", "m2"], await TestCluster.MessagesAsync(secondary));
    }

    [Fact]
    public async Task TheAcksOfARepeatedIdempotencyKeyAreCountedLikeThoseOfAnyAppend()
    {
        await using var cluster = await TestCluster.StartAsync(secondaries: 2);
        await cluster.WaitForWritableAsync();
        var original = await cluster.AppendOkAsync("pay 10", 3, id: "order-7");
        Assert.Equal(3, original.Acks);

        await cluster.StopSecondaryAsync(1);
        await cluster.WaitForStatusAsync(1, SecondaryStatus.Suspected);

        // The timeout is what the answer waits for (w=3 cannot be met); it is long enough for the running secondary to
        // acknowledge on a loaded machine (300 ms was not, in a full run: 1 ack).
        var fresh = await AppendAsync(cluster, new { message = "fresh", w = 3, timeoutMs = 2000 });
        var repeat = await AppendAsync(cluster, new { message = "pay 10", w = 3, id = "order-7", timeoutMs = 2000 });

        Assert.Equal((HttpStatusCode.Accepted, 2), (fresh.Status, fresh.Body.Acks));
        Assert.Equal((HttpStatusCode.Accepted, 2), (repeat.Status, repeat.Body.Acks));
        Assert.True(repeat.Body.Duplicate);
        Assert.Equal(original.Index, repeat.Body.Index);
    }

    private static async Task<(HttpStatusCode Status, AppendMessageResponse Body)> AppendAsync(TestCluster cluster, object body)
    {
        using var response = await cluster.AppendAsync(body);
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<AppendMessageResponse>())!);
    }
}
