using System.Diagnostics;
using ReplicatedLog.ServiceDefaults.Telemetry;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Cluster;

/// <summary>
/// Which requests make a trace: not health probes and heartbeats (each would be a trace of its own every second),
/// unless a service is told to; every other request's span is named by its route.
/// </summary>
public sealed class QuietTracesTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AHealthProbeIsNotRecordedUnlessTracingIsToldToAndAnAppendIsNamedByItsRoute(bool recordProbes)
    {
        using var stopped = new StoppedActivities(s => s.Name == "Microsoft.AspNetCore");
        await using var cluster = await TestCluster.StartAsync(secondaries: 0,
            master: new() { ["Tracing:RecordProbesAndHeartbeats"] = recordProbes ? "true" : "false" });

        var probe = await SendTracedAsync(HttpMethod.Get, new Uri(cluster.MasterUrl, "health"));
        var append = await SendTracedAsync(HttpMethod.Post, new Uri(cluster.MasterUrl, "messages"), new { message = "named", w = 1 });

        var appendSpan = await Eventually.MatchAsync("the append's request span", () => Task.FromResult(stopped.FirstOrDefault(a => a.TraceId == append)),
            a => a is not null);
        Assert.Equal(("POST /messages", "/messages", true), (appendSpan!.DisplayName, appendSpan.GetTagItem("http.route"), appendSpan.Recorded));
        Assert.Equal(201, appendSpan.GetTagItem("http.response.status_code"));
        var probeSpan = await Eventually.MatchAsync("the probe's request span", () => Task.FromResult(stopped.FirstOrDefault(a => a.TraceId == probe)),
            a => a is not null);
        Assert.Equal(recordProbes, probeSpan!.Recorded);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5001/replication/heartbeat", false)]
    [InlineData("http://127.0.0.1:5001/health", false)]
    [InlineData("http://127.0.0.1:5001/replication/append", true)]
    [InlineData("http://127.0.0.1:5001/healthy", true)]
    public void AClientCallToAHeartbeatOrAProbeIsDroppedBeforeTheExporterSeesIt(string url, bool recorded)
    {
        using var source = new ActivitySource(nameof(AClientCallToAHeartbeatOrAProbeIsDroppedBeforeTheExporterSeesIt));
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s == source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var call = source.StartActivity("POST", ActivityKind.Client)!;
        call.SetTag("url.full", url);

        new QuietClientSpans().OnEnd(call);

        Assert.Equal(recorded, call.Recorded);
    }

    private static async Task<ActivityTraceId> SendTracedAsync(HttpMethod method, Uri target, object? body = null)
    {
        var traceId = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(method, target) { Content = body is null ? null : TestCluster.JsonContent(body) };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        using var response = await TestCluster.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{method} {target} answered {(int)response.StatusCode}");
        return traceId;
    }
}
