using System.Net;
using System.Text.Json;
using ReplicatedLog.Core.Contracts;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Cluster;

/// <summary>Taking a secondary out of the cluster: <c>DELETE /admin/secondaries/{name}</c> on the master.</summary>
public sealed class MembershipTests
{
    [Fact]
    public async Task AnOperatorRemovesADeadSecondaryAndWriteConcernAllNoLongerWaitsForIt()
    {
        await using var cluster = await TestCluster.StartAsync(secondaries: 2);
        await cluster.WaitForWritableAsync();
        await cluster.StopSecondaryAsync(1);
        var dead = cluster.Registry.Peers.Single(p => p.Client.Address == cluster.Secondaries[1].Url).Name;
        using (var waits = await cluster.AppendAsync(new { message = "waits for the dead one", w = "all", timeoutMs = 200 }))
        {
            Assert.Equal(HttpStatusCode.Accepted, waits.StatusCode);
        }

        using var removed = await Delete(cluster, $"admin/secondaries/{dead}");
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        var answer = JsonSerializer.Deserialize(await removed.Content.ReadAsStringAsync(), WireJsonContext.Default.RemoveSecondaryResponse)!;
        Assert.Equal((dead, 1), (answer.Name, answer.Secondaries));

        var health = await TestCluster.HealthAsync(cluster.MasterUrl);
        Assert.Equal([cluster.Secondaries[0].Url.ToString()],
            health.GetProperty("secondaries").EnumerateArray().Select(s => s.GetProperty("address").GetString()));
        Assert.Equal(2, health.GetProperty("quorum").GetProperty("nodes").GetInt32());
        var all = await cluster.AppendOkAsync("needs everyone left", "all");
        Assert.Equal((2, 2), (all.W, all.Acks));
    }

    [Fact]
    public async Task RemovingASecondaryThatIsNotThereIsA404ProblemAndChangesNothing()
    {
        await using var cluster = await TestCluster.StartAsync(secondaries: 1);
        var name = cluster.Registry.Peers[0].Name;

        foreach (var path in new[] { "admin/secondaries/nobody", $"admin/secondaries/{name}?url=http://127.0.0.1:1/" })
        {
            using var response = await Delete(cluster, path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(1, cluster.Registry.Count);
    }

    private static Task<HttpResponseMessage> Delete(TestCluster cluster, string path) =>
        TestCluster.SendAsync(new HttpRequestMessage(HttpMethod.Delete, new Uri(cluster.MasterUrl, path)));
}
