using System.Diagnostics;
using System.Net;
using ReplicatedLog.Dashboard.Telemetry;
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

        // Logs are exported in batches of their own, apart from the spans.
        await Eventually.TrueAsync("the traced append's log line", () => AppendLines(dashboard).Any(l => l.TraceId == id),
            describe: () => string.Join(" | ", AppendLines(dashboard).Select(l => $"{l.TraceId}: {l.Message}")));

        // Each process exports on its own clock: what one sent may arrive before what it belongs to, so these are
        // waited for; an untraced append logged at Information, or a secondary's span of an untraced batch, never fits.
        await Eventually.TrueAsync("only traced appends logged at Information; every replication span of a secondary in a batch the master traced", () =>
        {
            var spans = dashboard.Store.Spans();
            var waits = spans.Where(s => s.Name == "wait for w").Select(s => s.TraceId).ToHashSet();
            var batchTraces = spans.Where(s => s.Resource.Name == "master" && s.Name.StartsWith("replicate to ", StringComparison.Ordinal))
                .Select(s => s.TraceId).ToHashSet();
            return AppendLines(dashboard).All(l => l.TraceId is { } trace && waits.Contains(trace))
                && ReplicaSpans(dashboard).All(s => batchTraces.Contains(s.TraceId));
        }, describe: () => Names(dashboard));

        // Of 41 appends, the client's and at most the master's one token's were traced.
        Assert.InRange(dashboard.Store.Spans().Count(s => s.Name == "wait for w"), 1, 2);
        Assert.NotEmpty(ReplicaSpans(dashboard));
    }

    private static List<LogRecordView> AppendLines(TestDashboard dashboard) =>
        [.. dashboard.Store.Logs().Where(l => l.Message.Contains(" held by ", StringComparison.Ordinal))];

    private static List<SpanView> ReplicaSpans(TestDashboard dashboard) =>
        [.. dashboard.Store.Spans().Where(s => s.Resource.Name.StartsWith("secondary", StringComparison.Ordinal)
            && (s.Name is "apply" or "artificial delay" || s.Name.Contains("/replication/append", StringComparison.Ordinal)))];

    private static string Names(TestDashboard dashboard) =>
        string.Join(", ", dashboard.Store.Spans().Select(s => $"{s.Resource.Name}:{s.Name}").Distinct());
}
