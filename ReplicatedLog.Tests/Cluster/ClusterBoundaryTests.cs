using System.Net;
using ReplicatedLog.Master.Replication;
using ReplicatedLog.Core.Contracts;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Cluster;

/// <summary>What keeps strangers and other logs out: the cluster token and the log id.</summary>
public sealed class ClusterBoundaryTests
{
    private const string Token = "s3cret-token";

    [Fact]
    public async Task WithAClusterTokenReplicationWorksAndInternalRoutesRefuseCallsWithoutIt()
    {
        var withToken = new Dictionary<string, string?> { ["Cluster:Token"] = Token, ["Faults:Enabled"] = "true" };
        await using var cluster = await TestCluster.StartAsync(secondaries: 1,
            master: new() { ["Cluster:Token"] = Token }, secondary: _ => withToken);
        await cluster.WaitForWritableAsync();
        Assert.Equal(2, (await cluster.AppendOkAsync("guarded", 2)).Acks);

        var secondary = cluster.Secondaries[0].Url;
        var calls = new (HttpMethod Method, Uri Target, string Body)[]
        {
            (HttpMethod.Post, new Uri(secondary, "replication/append"), "{\"logId\":\"x\",\"entries\":[{\"index\":2,\"message\":\"forged\"}]}"),
            (HttpMethod.Post, new Uri(secondary, "replication/heartbeat"), "{\"logId\":\"x\",\"masterLastIndex\":0}"),
            (HttpMethod.Get, new Uri(secondary, "replication/stream"), ""),
            (HttpMethod.Put, new Uri(secondary, "admin/faults"), "{\"paused\":true}"),
            (HttpMethod.Post, new Uri(cluster.MasterUrl, "replication/register"), "{\"name\":\"evil\",\"url\":\"http://127.0.0.1:1/\"}"),
            (HttpMethod.Delete, new Uri(cluster.MasterUrl, "admin/secondaries/" + cluster.Registry.Peers[0].Name), ""),
        };
        foreach (var (method, target, body) in calls)
        {
            foreach (var header in new[] { null, "Bearer wrong" })
            {
                using var response = await TestCluster.SendRawAsync(method, target, body, authorization: header);
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {target} with '{header}' answered {response.StatusCode}");
            }
        }

        Assert.Equal(["guarded"], await TestCluster.MessagesAsync(secondary));
        Assert.Equal(1, cluster.Registry.Count);
    }

    [Fact]
    public async Task ASecondaryHoldingAnotherLogRefusesThisMasterAndSaysSo()
    {
        await using var first = await TestCluster.StartAsync(secondaries: 1);
        await first.WaitForWritableAsync();
        await first.AppendOkAsync("from the first log", 2);

        // A second master (a new log id) is pointed at the same secondary, which still holds the first log.
        await using var second = await TestCluster.StartAsync(secondaries: 0,
            master: new() { ["Replication:Secondaries:0"] = first.Secondaries[0].Url.ToString(), ["Quorum:Enabled"] = "false" });
        var refused = await Eventually.MatchAsync("the second master to see the refusal",
            () => TestCluster.HealthAsync(second.MasterUrl),
            h => h.GetProperty("secondaries")[0].GetProperty("lastError").GetString()?.Contains("another log") == true,
            describe: h => h.ToString());
        Assert.Equal("Unhealthy", refused.GetProperty("secondaries")[0].GetProperty("status").GetString());

        await second.AppendOkAsync("from the second log", 1);
        // The master shows it refusing, holding nothing of this log, and does not count it toward any write.
        var shown = (await TestCluster.HealthAsync(second.MasterUrl)).GetProperty("secondaries")[0];
        Assert.True(shown.GetProperty("refusing").GetBoolean(), shown.ToString());
        Assert.Equal((0L, 1L), (shown.GetProperty("ackedIndex").GetInt64(), shown.GetProperty("lag").GetInt64()));
        Assert.False(shown.GetProperty("acksCounted").GetBoolean());
        using (var needsIt = await second.AppendAsync(new { message = "needs the refusing one", w = 2, timeoutMs = 200 }))
        {
            Assert.Equal(HttpStatusCode.Accepted, needsIt.StatusCode);
        }

        var secondaryHealth = await Eventually.MatchAsync("the secondary to report the refused log",
            () => TestCluster.HealthAsync(first.Secondaries[0].Url),
            h => h.GetProperty("refusedLogId").GetString() is { Length: > 0 }, describe: h => h.ToString());
        Assert.Equal("Degraded", secondaryHealth.GetProperty("status").GetString());
        Assert.Equal(["from the first log"], await TestCluster.MessagesAsync(first.Secondaries[0].Url));
    }
}
