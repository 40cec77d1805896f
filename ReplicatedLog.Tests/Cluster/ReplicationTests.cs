using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using ReplicatedLog.Core.Contracts;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Cluster;

/// <summary>Write concern, ordering, catch-up and deduplication over real HTTP between real servers.</summary>
public sealed class ReplicationTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AcceptanceScenarioW3WaitsForTheSecondSecondaryWhileW1AppendsGoThrough()
    {
        await using var cluster = await TestCluster.StartAsync(secondaries: 2, started: [0]);
        await cluster.WaitForStatusAsync(0, SecondaryStatus.Healthy);

        Assert.Equal(1, (await cluster.AppendOkAsync("Msg1", 1)).Index);
        var msg2 = await cluster.AppendOkAsync("Msg2", 2);
        Assert.Equal(2, msg2.Acks);

        var msg3 = cluster.AppendAsync(new { message = "Msg3", w = 3 });
        await Eventually.MatchAsync("Msg3 to wait at the master", () => TestCluster.HealthAsync(cluster.MasterUrl),
            h => h.GetProperty("pendingWrites").GetInt32() == 1, describe: h => h.ToString());

        var msg4 = await cluster.AppendOkAsync("Msg4", 1);
        Assert.Equal(4, msg4.Index);
        Assert.False(msg3.IsCompleted, "Msg3 (w=3) answered while only the master and secondary-1 run");

        await cluster.StartSecondaryAsync(1);
        using var answer = await msg3.WaitAsync(Deadline);
        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);

        await Eventually.MatchAsync("secondary-2 to read every message", () => TestCluster.MessagesAsync(cluster.Secondaries[1].Url),
            m => m.Count == 4, describe: m => string.Join(", ", m));
        Assert.Equal(["Msg1", "Msg2", "Msg3", "Msg4"], await TestCluster.MessagesAsync(cluster.Secondaries[1].Url));
    }

    [Fact]
    public async Task W1AnswersBeforeAPausedSecondaryHasTheMessageAndTheLogsThenConverge()
    {
        await using var cluster = await TestCluster.StartAsync(secondaries: 2,
            secondary: i => i == 1 ? new() { ["Faults:Enabled"] = "true" } : []);
        await cluster.WaitForWritableAsync();
        var admin = new Uri(cluster.Secondaries[1].Url, "admin/faults");
        using (var paused = await TestCluster.SendRawAsync(HttpMethod.Put, admin, "{\"paused\": true}"))
        {
            Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        }

        var written = await cluster.AppendOkAsync("eventually", 1);

        // secondary-2 is paused: it cannot hold the message, yet w=1 answered.
        Assert.Equal(1, written.W);
        Assert.True(written.Acks <= 2, $"acks {written.Acks} count the paused secondary");
        Assert.Empty(await TestCluster.MessagesAsync(cluster.Secondaries[1].Url));

        using (var resumed = await TestCluster.SendRawAsync(HttpMethod.Put, admin, "{\"paused\": false}"))
        {
            Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        }

        await cluster.WaitForConvergenceAsync(["eventually"]);
    }

    [Fact]
    public async Task ASecondaryStoppedAndStartedEmptyGetsEveryMessageBackInOrder()
    {
        await using var cluster = await TestCluster.StartAsync(secondaries: 2);
        await cluster.WaitForWritableAsync();
        var expected = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            expected.Add($"before-{i}");
            await cluster.AppendOkAsync(expected[^1], 3);
        }

        await cluster.StopSecondaryAsync(0);
        for (var i = 0; i < 10; i++)
        {
            expected.Add($"while-down-{i}");
            await cluster.AppendOkAsync(expected[^1], 2);
        }

        await cluster.StartSecondaryAsync(0);
        await cluster.WaitForConvergenceAsync(expected);
        Assert.Equal(expected, await TestCluster.MessagesAsync(cluster.Secondaries[0].Url));
    }

    [Fact]
    public async Task WithErrorsAfterApplyAndDroppedRequests500ConcurrentW3AppendsEndExactlyOnceInOneOrder()
    {
        await using var cluster = await TestCluster.StartAsync(secondaries: 2, secondary: _ => new()
        {
            ["Faults:Enabled"] = "true",
            ["Faults:ErrorAfterApplyRate"] = "0.3",
            ["Faults:DropRate"] = "0.2",
        });
        await cluster.WaitForWritableAsync();

        var sent = Enumerable.Range(0, 500).Select(i => $"m-{i}").ToList();
        var answers = await Task.WhenAll(sent.Select(m => cluster.AppendOkAsync(m, 3)));

        Assert.All(answers, a => Assert.True(a.Acks >= 3));
        Assert.Equal(Enumerable.Range(1, 500).Select(i => (long)i), answers.Select(a => a.Index).Order());
        var master = await TestCluster.MessagesAsync(cluster.MasterUrl);
        Assert.Equal(sent.Order(), master.Order());
        // w=3 answered, so both secondaries hold everything already: no waiting needed here.
        foreach (var secondary in cluster.Secondaries)
        {
            Assert.Equal(master, await TestCluster.MessagesAsync(secondary.Url));
        }
    }

    [Fact]
    public async Task ARepeatedIdempotencyKeyAppendsNothingAndAnswersTheOriginalIndex()
    {
        await using var cluster = await TestCluster.StartAsync(secondaries: 1);
        await cluster.WaitForWritableAsync();
        await cluster.AppendOkAsync("first", 2);

        var original = await cluster.AppendOkAsync("pay 10", 2, id: "order-42");
        using var repeat = await cluster.AppendAsync(new { message = "pay 10", w = 2, id = "order-42" });
        var again = await repeat.Content.ReadFromJsonAsync<AppendMessageResponse>();

        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.False(original.Duplicate);
        Assert.True(again!.Duplicate);
        Assert.Equal(original.Index, again.Index);
        await cluster.WaitForConvergenceAsync(["first", "pay 10"]);
    }

    [Fact]
    public async Task AnAppendThatTimesOutAnswers202WithTheAcksReachedAndStillReplicates()
    {
        await using var cluster = await TestCluster.StartAsync(secondaries: 2, started: [0]);
        await cluster.WaitForStatusAsync(0, SecondaryStatus.Healthy);

        using var response = await cluster.AppendAsync(new { message = "late", w = 3, timeoutMs = 300 });
        var body = await response.Content.ReadFromJsonAsync<AppendMessageResponse>();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.True(body!.TimedOut);
        Assert.Equal(2, body.Acks);
        await cluster.StartSecondaryAsync(1);
        await cluster.WaitForConvergenceAsync(["late"]);
    }

    [Fact]
    public async Task AClientThatGoesAwayWhileWaitingCancelsNothing()
    {
        await using var cluster = await TestCluster.StartAsync(secondaries: 2, started: [0]);
        await cluster.WaitForStatusAsync(0, SecondaryStatus.Healthy);

        using (var leave = new CancellationTokenSource())
        {
            var waiting = cluster.AppendAsync(new { message = "abandoned", w = 3 }, leave.Token);
            await Eventually.MatchAsync("the append to wait", () => TestCluster.HealthAsync(cluster.MasterUrl),
                h => h.GetProperty("pendingWrites").GetInt32() == 1, describe: h => h.ToString());
            leave.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        }

        await cluster.StartSecondaryAsync(1);
        await cluster.WaitForConvergenceAsync(["abandoned"]);
    }

    [Fact]
    public async Task ASecondaryThatRegistersAtRunTimeJoinsAndGetsEverything()
    {
        await using var cluster = await TestCluster.StartAsync(secondaries: 1);
        await cluster.WaitForWritableAsync();
        await cluster.AppendOkAsync("a", "all");
        await cluster.AppendOkAsync("b", "all");

        var port = FreePort.Next();
        var joiner = ReplicatedLog.Secondary.SecondaryApp.Build([], b =>
        {
            b.WebHost.UseUrls($"http://127.0.0.1:{port}");
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["services:master:http:0"] = cluster.MasterUrl.ToString(),
                ["OTEL_SERVICE_NAME"] = "secondary-late",
                ["Logging:LogLevel:Default"] = "Error",
            });
        });
        await joiner.StartAsync();
        try
        {
            await Eventually.TrueAsync("the master to count the new secondary", () => cluster.Registry.Count == 2);
            var c = await cluster.AppendOkAsync("c", "all");
            Assert.Equal(3, c.W);
            Assert.Equal(["a", "b", "c"], await TestCluster.MessagesAsync(new Uri($"http://127.0.0.1:{port}/")));
        }
        finally
        {
            await joiner.StopAsync();
            await joiner.DisposeAsync();
        }

        // A graceful stop deregisters it: w=all counts the master and the one secondary left, and answers.
        Assert.Equal(1, cluster.Registry.Count);
        Assert.DoesNotContain(cluster.Registry.Peers, p => p.Name == "secondary-late");
        var d = await cluster.AppendOkAsync("d", "all");
        Assert.Equal((2, 2), (d.W, d.Acks));
    }
}
