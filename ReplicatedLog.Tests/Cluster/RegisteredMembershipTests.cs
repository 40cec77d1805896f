using System.Net;
using System.Text.Json;
using ReplicatedLog.Core.Contracts;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Cluster;

/// <summary>
/// A master on a data directory whose secondaries join only by registering (no list of them, as in Kubernetes):
/// restarted, it knows its members at once; on a wiped directory, it waits for them to register and adopts their log.
/// </summary>
public sealed class RegisteredMembershipTests : IDisposable
{
    private readonly TempDirectory _data = new("master");

    [Fact]
    public async Task ARestartedMasterCountsItsRegisteredMembersBeforeAnyRegistersAgainAndWAllWaitsForAStoppedOne()
    {
        // The secondaries register once, and not again for an hour: whatever the restarted master knows, it kept.
        await using var cluster = await TestCluster.StartAsync(secondaries: 2, register: true, master: Durable(adoptionWaitMs: 0),
            secondary: _ => new() { ["Registration:ReregisterAfterMs"] = "3600000" });
        await WaitForMembersAsync(cluster, 2);
        var before = await cluster.AppendOkAsync("before the restart", "all");
        Assert.Equal((3, 3), (before.W, before.Acks));

        await cluster.StopMasterAsync();
        await cluster.StopSecondaryAsync(1); // its goodbye finds no master: it stays a member
        await cluster.StartMasterAsync();

        Assert.Equal(["secondary-1", "secondary-2"], cluster.Registry.Peers.Select(p => p.Name).Order());
        var health = await TestCluster.HealthAsync(cluster.MasterUrl);
        Assert.Equal(3, health.GetProperty("quorum").GetProperty("nodes").GetInt32());
        await cluster.WaitForStatusAsync(1, SecondaryStatus.Unhealthy);

        using (var waits = await cluster.AppendAsync(new { message = "needs the stopped one", w = "all", timeoutMs = 300 }))
        {
            var answer = JsonSerializer.Deserialize(await waits.Content.ReadAsStringAsync(), WireJsonContext.Default.AppendMessageResponse)!;
            Assert.Equal((HttpStatusCode.Accepted, 3, 2, true), (waits.StatusCode, answer.W, answer.Acks, answer.TimedOut));
        }

        var all = cluster.AppendOkAsync("answered once all three hold it", "all");
        await cluster.StartSecondaryAsync(1);
        var after = await all.WaitAsync(Eventually.DefaultDeadline);
        Assert.Equal((3, 3), (after.W, after.Acks));
        await cluster.WaitForConvergenceAsync(["before the restart", "needs the stopped one", "answered once all three hold it"]);
    }

    [Fact]
    public async Task AMasterWhoseDirectoryIsWipedWaitsForItsRegisteringSecondariesAndAdoptsTheirLog()
    {
        await using var cluster = await TestCluster.StartAsync(secondaries: 2, register: true, master: Durable(adoptionWaitMs: 0));
        await WaitForMembersAsync(cluster, 2);
        var logId = (await TestCluster.HealthAsync(cluster.MasterUrl)).GetProperty("logId").GetString();
        var acknowledged = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            await cluster.AppendOkAsync($"m-{i}", i % 2 == 0 ? "majority" : "all");
            acknowledged.Add($"m-{i}");
        }

        await cluster.StopMasterAsync();
        Directory.Delete(_data.Path, recursive: true);
        // Long enough for secondaries that re-register after 300 ms of silence, on a loaded machine too.
        cluster.MasterSettings["Replication:AdoptionWaitMs"] = "3000";
        await cluster.StartMasterAsync();

        await cluster.WaitForWritableAsync();
        var health = await TestCluster.HealthAsync(cluster.MasterUrl);
        Assert.Equal("Adopted", health.GetProperty("adoption").GetProperty("state").GetString());
        Assert.Equal(logId, health.GetProperty("logId").GetString());
        Assert.Equal(acknowledged, await TestCluster.MessagesAsync(cluster.MasterUrl));

        var next = await cluster.AppendOkAsync("after the adoption", "all");
        Assert.Equal((3, 3, acknowledged.Count + 1L), (next.W, next.Acks, next.Index));
        await cluster.WaitForConvergenceAsync([.. acknowledged, "after the adoption"]);
    }

    [Fact]
    public async Task AFreshMasterThatNoSecondaryJoinsStartsANewLogAfterTheWaitAndIsWritableAlone()
    {
        await using var cluster = await TestCluster.StartAsync(secondaries: 0, master: Durable(adoptionWaitMs: 300));

        await cluster.WaitForWritableAsync();

        var adoption = (await TestCluster.HealthAsync(cluster.MasterUrl)).GetProperty("adoption");
        Assert.Equal("StartedNew", adoption.GetProperty("state").GetString());
        Assert.Contains("none registered within 0.3 s", adoption.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var first = await cluster.AppendOkAsync("first", "all");
        Assert.Equal((1L, 1, 1), (first.Index, first.W, first.Acks));
    }

    public void Dispose() => _data.Dispose();

    private Dictionary<string, string?> Durable(int adoptionWaitMs) => new()
    {
        ["Storage:Path"] = _data.Path,
        ["Replication:AdoptionWaitMs"] = adoptionWaitMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Waits until the master counts <paramref name="count"/> secondaries, all Healthy, and is writable.</summary>
    private static async Task WaitForMembersAsync(TestCluster cluster, int count)
    {
        await Eventually.TrueAsync($"the master to count {count} Healthy secondaries",
            () => cluster.Registry.Peers.Count(p => p.Status == SecondaryStatus.Healthy) == count,
            describe: () => string.Join(", ", cluster.Registry.Peers.Select(p => $"{p.Name} {p.Status}")));
        await cluster.WaitForWritableAsync();
    }
}
