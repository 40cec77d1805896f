using ReplicatedLog.AppHost.Hosting;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Processes;

/// <summary>What survives a kill -9, through the AppHost's resources, each node keeping its log in its data directory.</summary>
public sealed class DurabilityTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AMasterKilledWithSigkillMidStreamComesBackWithEveryAcknowledgedWriteAndTakesAppendsAgain()
    {
        await using var cluster = ProcessCluster.Create(secondaries: 2, LogEveryBatch);
        await cluster.Runner.StartAllAsync();
        await cluster.WaitForWritableAsync();
        var logId = (await cluster.MasterHealthAsync()).GetProperty("logId").GetString();

        // w=1, w=2 and w=3 in turn, each with an idempotency key, until the master dies under the stream.
        var acknowledged = new List<(string Message, string Key, long Index)>();
        var writer = Task.Run(async () =>
        {
            for (var i = 0; ; i++)
            {
                try
                {
                    var (status, body) = await cluster.AppendAsync($"m-{i}", 1 + (i % 3), id: $"k-{i}");
                    if (status == 201)
                    {
                        lock (acknowledged)
                        {
                            acknowledged.Add(($"m-{i}", $"k-{i}", body!.Index));
                        }
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    return; // the master is gone: what was in flight is not acknowledged
                }
            }
        });
        await Eventually.TrueAsync("appends before the kill", () => { lock (acknowledged) { return acknowledged.Count >= 150; } });
        await cluster.Runner.KillAsync("master");
        await writer.WaitAsync(Deadline);

        var linesBefore = Secondaries.ToDictionary(name => name, name => cluster.Runner[name].Output.Count);
        await cluster.Runner.StartAsync("master");
        await cluster.WaitForWritableAsync();

        Assert.Equal(logId, (await cluster.MasterHealthAsync()).GetProperty("logId").GetString());
        var master = await cluster.MessagesAsync("master");
        Assert.Equal(master.Count, master.Distinct().Count());
        Assert.All(acknowledged, a => Assert.Equal(a.Message, master[(int)a.Index - 1]));
        var (repeatStatus, repeat) = await cluster.AppendAsync(acknowledged[^1].Message, 1, id: acknowledged[^1].Key);
        Assert.Equal((200, true, acknowledged[^1].Index), (repeatStatus, repeat!.Duplicate, repeat.Index));

        var (afterStatus, after) = await cluster.AppendAsync("after the restart", 3);
        Assert.Equal((201, 3), (afterStatus, after!.Acks));
        await SecondariesHoldTheMastersLogSentOnlyWhatTheyLackedAsync(cluster, linesBefore);

        var health = await cluster.MasterHealthAsync();
        Assert.All(health.GetProperty("secondaries").EnumerateArray(), s => Assert.True(s.GetProperty("logsMatch").GetBoolean(), s.ToString()));
    }

    private static readonly string[] Secondaries = ["secondary-1", "secondary-2"];

    /// <summary>A secondary logs every batch it receives at Debug (Information only when traced): these tests read those lines.</summary>
    private static void LogEveryBatch(ClusterHostBuilder builder)
    {
        foreach (var secondary in Secondaries)
        {
            builder[secondary].WithEnvironment("Logging__LogLevel__ReplicatedLog", "Debug");
        }
    }

    /// <summary>
    /// Each secondary ends with the master's log, and what it received since <paramref name="linesBefore"/> does not
    /// start from the first entry: the restarted master found its log matching and sent only what it lacked.
    /// </summary>
    private static async Task SecondariesHoldTheMastersLogSentOnlyWhatTheyLackedAsync(
        ProcessCluster cluster, Dictionary<string, int> linesBefore)
    {
        var expected = await cluster.MessagesAsync("master");
        foreach (var secondary in Secondaries)
        {
            await Eventually.MatchAsync($"{secondary} to hold the master's log", () => cluster.MessagesAsync(secondary),
                m => m.SequenceEqual(expected), Deadline, m => $"{m.Count} messages");
            var received = cluster.Runner[secondary].Output.Skip(linesBefore[secondary]).Where(l => l.Contains("Received ", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(received); // it received the append made after the restart, at least
            Assert.DoesNotContain(received, l => l.Contains("Received 1..", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task AMasterThatLostItsDiskStaysReadOnlyUntilBothSecondariesAnswerThenAdoptsTheirLog()
    {
        await using var cluster = ProcessCluster.Create(secondaries: 2, LogEveryBatch);
        await cluster.Runner.StartAllAsync();
        await cluster.WaitForWritableAsync();
        var logId = (await cluster.MasterHealthAsync()).GetProperty("logId").GetString();
        for (var i = 0; i < 60; i++)
        {
            Assert.Equal(201, (await cluster.AppendAsync($"before-{i}", 2 + (i % 2))).Status);
        }

        var before = await cluster.MessagesAsync("master");
        await cluster.Runner.KillAsync("master");
        await cluster.Runner.KillAsync("secondary-2");
        Directory.Delete(Path.Combine(cluster.DataDirectory, "master"), recursive: true);

        // With one of two secondaries answering, a write acknowledged by the master and the other one only could be
        // missing: the master must not take appends, and says what it waits for.
        var linesBefore = Secondaries.ToDictionary(name => name, name => cluster.Runner[name].Output.Count);
        await cluster.Runner.StartAsync("master");
        var waiting = await Eventually.MatchAsync("the master to say it waits for secondary-2", cluster.MasterHealthAsync,
            h => h.GetProperty("adoption").GetProperty("state").GetString() == "Waiting"
                && h.GetProperty("adoption").GetProperty("detail").GetString()!.Contains("secondary-2", StringComparison.Ordinal),
            Deadline, h => h.ToString());
        Assert.True(waiting.GetProperty("readOnly").GetBoolean(), waiting.ToString());
        Assert.Equal(503, (await cluster.AppendAsync("while adopting", 1)).Status);

        await cluster.Runner.StartAsync("secondary-2");
        await cluster.WaitForWritableAsync();
        var health = await cluster.MasterHealthAsync();
        Assert.Equal("Adopted", health.GetProperty("adoption").GetProperty("state").GetString());
        Assert.Equal(logId, health.GetProperty("logId").GetString());
        Assert.Equal(before, await cluster.MessagesAsync("master"));

        var (status, after) = await cluster.AppendAsync("after the adoption", 3);
        Assert.Equal((201, 3, before.Count + 1L), (status, after!.Acks, after.Index));
        await SecondariesHoldTheMastersLogSentOnlyWhatTheyLackedAsync(cluster, linesBefore);

        await Eventually.MatchAsync("both logs to match the master's", cluster.MasterHealthAsync,
            h => h.GetProperty("secondaries").EnumerateArray().All(s => s.GetProperty("logsMatch").ValueKind == System.Text.Json.JsonValueKind.True),
            Deadline, h => h.ToString());
    }

    [Fact]
    public async Task ASecondaryKilledAndRestartedOnItsDirectoryIsSentOnlyWhatItMissed()
    {
        await using var cluster = ProcessCluster.Create(secondaries: 2, LogEveryBatch);
        await cluster.Runner.StartAllAsync();
        await cluster.WaitForWritableAsync();
        for (var i = 0; i < 40; i++)
        {
            Assert.Equal(201, (await cluster.AppendAsync($"before-{i}", 3)).Status);
        }

        await cluster.Runner.KillAsync("secondary-1");
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(201, (await cluster.AppendAsync($"while-down-{i}", 2)).Status);
        }

        var linesBefore = cluster.Runner["secondary-1"].Output.Count;
        await cluster.Runner.StartAsync("secondary-1");
        var expected = await cluster.MessagesAsync("master");
        await Eventually.MatchAsync("secondary-1 to catch up", () => cluster.MessagesAsync("secondary-1"),
            m => m.SequenceEqual(expected), Deadline, m => $"{m.Count} messages");

        // What it received after the restart starts after what it kept: no entry is sent to it twice.
        // (The line is written after the entries are readable: wait for it.)
        var received = await Eventually.MatchAsync("secondary-1 to log what it received",
            () => Task.FromResult(cluster.Runner["secondary-1"].Output.Skip(linesBefore).Where(l => l.Contains("Received ", StringComparison.Ordinal)).ToList()),
            lines => lines.Count > 0, Deadline, lines => string.Join(Environment.NewLine, cluster.Runner["secondary-1"].Output.TakeLast(10)));
        Assert.Contains("Received 41..", received[0], StringComparison.Ordinal);
    }
}
