using ReplicatedLog.AppHost.Hosting;
using ReplicatedLog.AppHost.Hosting.Events;
using ReplicatedLog.AppHost.Hosting.Runtime;
using ReplicatedLog.Core.Contracts;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Processes;

/// <summary>What only real processes show: kill -9, SIGSTOP and SIGCONT, a whole node gone, through the AppHost's resources.</summary>
public sealed class ProcessFailureTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AcceptanceScenarioOnRealProcesses()
    {
        // As the course runs it: logs in memory. (On disk, a master started on an empty directory first waits for
        // both secondaries, to adopt their log if they hold one: DurabilityTests.)
        await using var cluster = ProcessCluster.Create(secondaries: 2, InMemory);
        await cluster.Runner.StartAsync("secondary-1");
        await cluster.Runner.StartAsync("master");
        await cluster.WaitForStatusAsync("secondary-1", SecondaryStatus.Healthy);

        Assert.Equal(201, (await cluster.AppendAsync("Msg1", 1)).Status);
        Assert.Equal(201, (await cluster.AppendAsync("Msg2", 2)).Status);
        var msg3 = cluster.AppendAsync("Msg3", 3);
        await Eventually.MatchAsync("Msg3 to wait", cluster.MasterHealthAsync, h => h.GetProperty("pendingWrites").GetInt32() == 1,
            describe: h => h.ToString());
        Assert.Equal(201, (await cluster.AppendAsync("Msg4", 1)).Status);
        Assert.False(msg3.IsCompleted, "Msg3 (w=3) answered while secondary-2 was not running");

        await cluster.Runner.StartAsync("secondary-2");
        var (status, body) = await msg3.WaitAsync(Deadline);
        Assert.Equal(201, status);
        Assert.Equal(3, body!.Acks);
        await Eventually.MatchAsync("secondary-2 to read all four", () => cluster.MessagesAsync("secondary-2"), m => m.Count == 4,
            describe: m => string.Join(", ", m));
        Assert.Equal(["Msg1", "Msg2", "Msg3", "Msg4"], await cluster.MessagesAsync("secondary-2"));
    }

    private static void InMemory(ClusterHostBuilder builder)
    {
        foreach (var resource in builder.Resources)
        {
            resource.WithEnvironment("Storage__Path", "");
        }
    }

    [Fact]
    public async Task ASecondaryKilledWithSigkillMidStreamLosesNothingAcknowledgedAndDuplicatesNothing()
    {
        await using var cluster = ProcessCluster.Create(secondaries: 2);
        await cluster.Runner.StartAllAsync();
        await cluster.WaitForWritableAsync();

        var acknowledged = new List<string>();
        using var writing = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var i = 0; !writing.IsCancellationRequested; i++)
            {
                var (status, _) = await cluster.AppendAsync($"m-{i}", 2);
                if (status == 201)
                {
                    lock (acknowledged)
                    {
                        acknowledged.Add($"m-{i}");
                    }
                }
            }
        });

        await Eventually.TrueAsync("some appends before the kill", () => { lock (acknowledged) { return acknowledged.Count >= 50; } });
        await cluster.Runner.KillAsync("secondary-1");
        await Eventually.TrueAsync("appends while secondary-1 is dead", () => { lock (acknowledged) { return acknowledged.Count >= 100; } });
        await cluster.Runner.StartAsync("secondary-1");
        await Eventually.TrueAsync("appends after the restart", () => { lock (acknowledged) { return acknowledged.Count >= 150; } });
        await writing.CancelAsync();
        await writer.WaitAsync(Deadline);

        var master = await cluster.MessagesAsync("master");
        Assert.Equal(master.Count, master.Distinct().Count());
        Assert.All(acknowledged, m => Assert.Contains(m, master));
        foreach (var secondary in new[] { "secondary-1", "secondary-2" })
        {
            await Eventually.MatchAsync($"{secondary} to hold the master's log", () => cluster.MessagesAsync(secondary),
                m => m.SequenceEqual(master), describe: m => $"{m.Count} of {master.Count}");
        }
    }

    [Fact]
    public async Task APausedSecondaryGoesSuspectedThenUnhealthyAndW3WaitsUntilItIsResumed()
    {
        await using var cluster = ProcessCluster.Create(secondaries: 2);
        await cluster.Runner.StartAllAsync();
        await cluster.WaitForStatusAsync("secondary-1", SecondaryStatus.Healthy);

        cluster.Runner.Pause("secondary-1");
        await cluster.WaitForOutputAsync("master", "secondary-1 is now Suspected (was Healthy)");
        await cluster.WaitForOutputAsync("master", "secondary-1 is now Unhealthy (was Suspected)");
        await cluster.WaitForStatusAsync("secondary-1", SecondaryStatus.Unhealthy);

        var blocked = cluster.AppendAsync("needs everyone", 3);
        await Eventually.MatchAsync("the w=3 append to wait", cluster.MasterHealthAsync, h => h.GetProperty("pendingWrites").GetInt32() == 1,
            describe: h => h.ToString());
        Assert.False(blocked.IsCompleted);

        cluster.Runner.Resume("secondary-1");
        await cluster.WaitForStatusAsync("secondary-1", SecondaryStatus.Healthy);
        var (status, body) = await blocked.WaitAsync(Deadline);
        Assert.Equal(201, status);
        Assert.Equal(3, body!.Acks);
    }

    [Fact]
    public async Task WithBothSecondariesKilledTheMasterIsReadOnlyAndOneBackMakesItWritable()
    {
        await using var cluster = ProcessCluster.Create(secondaries: 2);
        await cluster.Runner.StartAllAsync();
        await cluster.WaitForWritableAsync();
        Assert.Equal(201, (await cluster.AppendAsync("before", "all")).Status);

        await cluster.Runner.KillAsync("secondary-1");
        await cluster.Runner.KillAsync("secondary-2");
        await cluster.WaitForWritableAsync(false);
        Assert.Equal(503, (await cluster.AppendAsync("refused", 1)).Status);
        Assert.Equal(["before"], await cluster.MessagesAsync("master"));

        await cluster.Runner.StartAsync("secondary-2");
        await cluster.WaitForWritableAsync();
        Assert.Equal(201, (await cluster.AppendAsync("after", 2)).Status);
    }

    [Fact]
    public async Task AResourceStartsOnlyOnceWhatItWaitsForIsHealthy()
    {
        // secondary-2 refuses its configuration at start (a negative delay) and exits: the master waits for it.
        await using var cluster = ProcessCluster.Create(secondaries: 2,
            configure: b => b["secondary-2"].WithEnvironment("Replication__DelayMs", -5));

        var failure = await Assert.ThrowsAsync<ResourceFailedException>(() => cluster.Runner.StartAllAsync());

        Assert.Equal("secondary-2", failure.Resource.Name);
        Assert.Null(cluster.Runner["master"].ProcessId);
        Assert.Equal(ResourceState.Waiting, cluster.Runner["master"].State);
        Assert.Contains("DelayMs", failure.Message);
    }
}
