using System.Net;
using System.Net.Http.Json;
using ReplicatedLog.ServiceDefaults.Contracts;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Cluster;

/// <summary>The secondary's fault injection at run time: <c>PUT /admin/faults</c>.</summary>
public sealed class FaultInjectionTests
{
    [Fact]
    public async Task PausingASecondaryAtRunTimeHoldsAW2AppendUntilItIsResumed()
    {
        await using var cluster = await TestCluster.StartAsync(secondaries: 1, secondary: _ => new() { ["Faults:Enabled"] = "true" });
        await cluster.WaitForWritableAsync();
        var admin = new Uri(cluster.Secondaries[0].Url, "admin/faults");

        using (var paused = await TestCluster.SendRawAsync(HttpMethod.Put, admin, "{\"paused\": true, \"delayMs\": 50}"))
        {
            Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
            var now = await paused.Content.ReadFromJsonAsync<FaultSettings>();
            Assert.Equal(new FaultSettings(50, 0, 0, true), now);
        }

        var waiting = cluster.AppendAsync(new { message = "held", w = 2 });
        await Eventually.MatchAsync("the append to wait", () => TestCluster.HealthAsync(cluster.MasterUrl),
            h => h.GetProperty("pendingWrites").GetInt32() == 1, describe: h => h.ToString());
        Assert.False(waiting.IsCompleted);
        Assert.Empty(await TestCluster.MessagesAsync(cluster.Secondaries[0].Url));

        using (await TestCluster.SendRawAsync(HttpMethod.Put, admin, "{\"paused\": false}"))
        {
        }

        using var answer = await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
        Assert.Equal(["held"], await TestCluster.MessagesAsync(cluster.Secondaries[0].Url));
    }

    [Fact]
    public async Task FaultInjectionIsRefusedUnlessEnabledAndBadRatesAreA400()
    {
        await using var cluster = await TestCluster.StartAsync(secondaries: 2,
            secondary: i => i == 0 ? new() { ["Faults:Enabled"] = "true" } : []);
        using var off = await TestCluster.SendRawAsync(HttpMethod.Put, new Uri(cluster.Secondaries[1].Url, "admin/faults"), "{\"paused\": true}");
        Assert.Equal(HttpStatusCode.Forbidden, off.StatusCode);

        foreach (var body in new[] { "{\"dropRate\": 1.5}", "{\"errorAfterApplyRate\": -0.1}", "{\"delayMs\": -1}" })
        {
            using var bad = await TestCluster.SendRawAsync(HttpMethod.Put, new Uri(cluster.Secondaries[0].Url, "admin/faults"), body);
            Assert.True(bad.StatusCode == HttpStatusCode.BadRequest, $"{body} answered {bad.StatusCode}");
        }
    }
}
