using System.Diagnostics;
using System.Net;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Dashboard;

/// <summary>
/// Under load, new traces are limited per second (<c>Tracing__MaxTracesPerSecond</c>): an append that is traced
/// still shows its whole fan-out, a client that sends a sampled <c>traceparent</c> always gets its trace, and the
/// secondaries record nothing of a batch the master did not trace (no orphan traces). Real processes exporting to a
/// dashboard in the test process, as under the AppHost.
/// </summary>
public sealed class TraceSamplingTests
{
    private const int Appends = 40;

    [Fact]
    public async Task BeyondTheLimitAppendsAreNotTracedButATracedOneKeepsItsFanOutAndItsLogLine()
    {
        await using var dashboard = await TestDashboard.StartAsync();
        // One trace per 1,000 s: the first root of each node may take the one token, no append after it does.
        await using var cluster = ProcessCluster.Create(secondaries: 2, builder =>
        {
            dashboard.ReceiveFrom(builder);
            foreach (var resource in builder.Resources)
            {
                resource.WithEnvironment("Tracing__MaxTracesPerSecond", "0.001");
            }
        });
        await cluster.Runner.StartAllAsync();
        await cluster.WaitForWritableAsync();

        // The client's own sampled trace: always recorded, whatever the limit.
        var traceId = ActivityTraceId.CreateRandom();
        using var client = cluster.Client("master");
        using var traced = new HttpRequestMessage(HttpMethod.Post, "messages") { Content = TestCluster.JsonContent(new { message = "traced", w = 3 }) };
        traced.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        var answers = Enumerable.Range(0, Appends).Select(async i => (await cluster.AppendAsync($"untraced-{i}", 3)).Status).ToList();
        using var response = await client.SendAsync(traced);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.All(await Task.WhenAll(answers), status => Assert.Equal(201, status));

        // The traced append's wait, and for each secondary a batch linked to it with the secondary's apply under it.
        var id = traceId.ToHexString();
        var wait = await Eventually.MatchAsync("the traced append's wait for w", () => Task.FromResult(
                dashboard.Store.Spans().FirstOrDefault(s => s.TraceId == id && s.Name == "wait for w")),
            s => s is not null, describe: _ => Names(dashboard));
        await Eventually.TrueAsync("both secondaries' apply in batches linked to the traced append", () =>
        {
            var batches = dashboard.Store.Spans().Where(s => s.Links.Any(l => l.SpanId == wait!.SpanId)).Select(s => s.TraceId).ToHashSet();
            return dashboard.Store.Spans().Where(s => s.Name == "apply" && batches.Contains(s.TraceId)).Select(s => s.Resource.InstanceId).Distinct().Count() == 2;
        }, describe: () => Names(dashboard));

        // Of 41 appends, the client's and at most the master's one token's were traced, and logged at Information.
        var spans = dashboard.Store.Spans();
        var waits = spans.Where(s => s.Name == "wait for w").ToList();
        Assert.InRange(waits.Count, 1, 2);
        var appendLines = dashboard.Store.Logs().Where(l => l.Message.Contains(" held by ", StringComparison.Ordinal)).ToList();
        Assert.Contains(appendLines, l => l.TraceId == id);
        Assert.All(appendLines, l => Assert.Contains(waits, w => w.TraceId == l.TraceId));

        // A secondary's replication spans belong to a batch the master traced: none starts a trace of its own.
        var batchTraces = spans.Where(s => s.Resource.Name == "master" && s.Name.StartsWith("replicate to ", StringComparison.Ordinal))
            .Select(s => s.TraceId).ToHashSet();
        var replicaSpans = spans.Where(s => s.Resource.Name.StartsWith("secondary", StringComparison.Ordinal)
            && (s.Name is "apply" or "artificial delay" || s.Name.Contains("/replication/append", StringComparison.Ordinal))).ToList();
        Assert.NotEmpty(replicaSpans);
        Assert.All(replicaSpans, s => Assert.Contains(s.TraceId, batchTraces));
    }

    private static string Names(TestDashboard dashboard) =>
        string.Join(", ", dashboard.Store.Spans().Select(s => $"{s.Resource.Name}:{s.Name}").Distinct());
}
