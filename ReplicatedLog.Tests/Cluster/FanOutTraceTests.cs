using System.Diagnostics;
using System.Net;
using System.Text;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Cluster;

/// <summary>
/// What a trace of one append shows: the request and, under it, the wait for w; and, linked to the wait, for each secondary the batch
/// that carried the entry, with the secondary's artificial delay and its apply in the batch's trace.
/// </summary>
public sealed class FanOutTraceTests
{
    [Fact]
    public async Task AW3AppendIsLinkedFromTheBatchThatCarriedItToEachSecondaryWithItsDelayAndApply()
    {
        using var stopped = new StoppedActivities(s => s.Name.StartsWith("ReplicatedLog.", StringComparison.Ordinal) || s.Name is "System.Net.Http" or "Microsoft.AspNetCore");
        await using var cluster = await TestCluster.StartAsync(2, secondary: i => i == 1 ? new() { ["Replication:DelayMs"] = "200" } : []);
        await cluster.WaitForWritableAsync();

        // The client's own trace id, so this test finds its append among every other test's.
        var traceId = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(cluster.MasterUrl, "/messages"))
        {
            Content = new StringContent("""{"message": "traced", "w": 3}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        using var response = await TestCluster.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        // The request's span stops last, after the response is written.
        var requestSpan = await Eventually.MatchAsync("the append's request span", () => Task.FromResult(
                stopped.FirstOrDefault(a => a.Kind == ActivityKind.Server && a.TraceId == traceId)),
            a => a is not null, describe: _ => string.Join(", ", stopped.Select(a => a.OperationName).Distinct()));
        var wait = Assert.Single(stopped, a => a.OperationName == "wait for w" && a.TraceId == traceId);
        Assert.Equal(requestSpan!.SpanId, wait.ParentSpanId);
        Assert.Equal(3, wait.GetTagItem("replicatedlog.acks"));
        Assert.Equal(3, wait.GetTagItem("replicatedlog.w"));
        Assert.IsType<long>(wait.GetTagItem("replicatedlog.index"));

        var batches = await Eventually.MatchAsync("a batch to each secondary linked to the append's wait", () => Task.FromResult(
                stopped.Where(a => a.OperationName.StartsWith("replicate to ", StringComparison.Ordinal)
                    && a.Links.Any(l => l.Context.TraceId == traceId && l.Context.SpanId == wait.SpanId)).ToList()),
            b => b.Select(a => a.GetTagItem("replicatedlog.secondary")).Distinct().Count() == 2,
            describe: b => string.Join(", ", b.Select(a => a.OperationName)));
        Assert.All(batches, b => Assert.NotEqual(traceId, b.TraceId)); // a trace of its own, serving many appends
        var batchTraces = batches.Select(b => b.TraceId).ToHashSet();

        // The secondaries' work is in the batches' traces: carried over HTTP from the master's call.
        await Eventually.TrueAsync("both secondaries' apply and the slow one's delay in the batches' traces", () =>
            stopped.Count(a => a.OperationName == "apply" && batchTraces.Contains(a.TraceId)) >= 2
            && stopped.Any(a => a.OperationName == "artificial delay" && batchTraces.Contains(a.TraceId)));
    }
}
