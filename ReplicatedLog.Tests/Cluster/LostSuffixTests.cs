using System.Net;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Cluster;

/// <summary>
/// The master ships entries before its fsync; a machine that crashes between the two comes back without entries its
/// secondaries hold. The master's store is a disk whose fsync the test holds and whose crash loses what it held.
/// </summary>
public sealed class LostSuffixTests
{
    [Fact]
    public async Task AMasterThatLostEntriesItHadSentComesBackWithSecondariesHoldingExactlyItsLogAndEveryAcknowledgedWrite()
    {
        var disk = new SlowDiskStore();
        disk.FsyncAtOnce();
        await using var cluster = await TestCluster.StartAsync(secondaries: 2, masterStore: disk);
        await cluster.WaitForWritableAsync();
        var acknowledged = new List<(string Message, long Index)>();
        for (var i = 1; i <= 3; i++)
        {
            acknowledged.Add(($"acked-{i}", (await cluster.AppendOkAsync($"acked-{i}", "all")).Index));
        }

        // The master's disk stalls: w=1 waits for the master's fsync, so none of these is acknowledged, but both
        // secondaries receive them.
        disk.HoldFsync();
        var unacknowledged = Enumerable.Range(4, 3).Select(i => cluster.AppendAsync(new { message = $"lost-{i}", w = 1 })).ToList();
        foreach (var secondary in cluster.Secondaries)
        {
            await Eventually.MatchAsync($"{secondary.Name} to hold what the master sent before its fsync",
                () => TestCluster.MessagesAsync(secondary.Url), m => m.Count == 6, describe: m => string.Join(", ", m));
        }

        await cluster.StopMasterAsync();
        disk.Crash();
        foreach (var append in unacknowledged)
        {
            await AssertNotAcknowledgedAsync(append);
        }

        disk.FsyncAtOnce();
        await cluster.StartMasterAsync();
        await cluster.WaitForWritableAsync();

        // The new run's heartbeats cut the secondaries back to what it recovered, before anything is appended.
        string[] recovered = ["acked-1", "acked-2", "acked-3"];
        await cluster.WaitForConvergenceAsync(recovered);
        var after = await cluster.AppendOkAsync("after", "all");
        Assert.Equal(4, after.Index);
        await cluster.WaitForConvergenceAsync([.. recovered, "after"]);

        foreach (var node in cluster.Secondaries.Select(s => s.Url).Prepend(cluster.MasterUrl))
        {
            var messages = await TestCluster.MessagesAsync(node);
            Assert.Equal(messages.Count, messages.Distinct().Count());
            Assert.All(acknowledged, a => Assert.Equal(a.Message, messages[(int)a.Index - 1]));
        }

        await Eventually.MatchAsync("every secondary's log to match the master's", () => TestCluster.HealthAsync(cluster.MasterUrl),
            h => h.GetProperty("secondaries").EnumerateArray().All(s => s.GetProperty("logsMatch").ValueKind == System.Text.Json.JsonValueKind.True),
            describe: h => h.GetProperty("secondaries").ToString());
    }

    /// <summary>An append cut off by the master's crash: it failed, or it ended with anything but a success.</summary>
    private static async Task AssertNotAcknowledgedAsync(Task<HttpResponseMessage> append)
    {
        try
        {
            using var response = await append;
            Assert.False(response.IsSuccessStatusCode, $"an append the master never fsynced answered {(int)response.StatusCode}");
            Assert.NotEqual(HttpStatusCode.Created, response.StatusCode);
        }
        catch (HttpRequestException)
        {
            // Cut off: not acknowledged.
        }
    }
}
