using System.Diagnostics;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Dashboard;

/// <summary>
/// A service honours the OTLP variables an AppHost gives it (endpoint, protocol, headers, resource attributes, batch
/// delays) and sends what it still holds when it stops.
/// </summary>
public sealed class ServiceTelemetryTests
{
    [Fact]
    public async Task AStoppingMasterFlushesItsSpansLogsAndMetricsToTheDashboardUnderItsInstanceId()
    {
        await using var dashboard = await TestDashboard.StartAsync();
        var settings = dashboard.ExporterSettings(instanceId: "master-under-test");
        // Batches wait ten minutes: whatever arrives was sent when the master stopped.
        settings["OTEL_BSP_SCHEDULE_DELAY"] = "600000";
        settings["OTEL_BLRP_SCHEDULE_DELAY"] = "600000";
        settings["OTEL_METRIC_EXPORT_INTERVAL"] = "600000";
        settings["Logging:LogLevel:ReplicatedLog"] = "Information";
        var trace = ActivityTraceId.CreateRandom();

        await using (var cluster = await TestCluster.StartAsync(secondaries: 0, master: settings))
        {
            await cluster.WaitForWritableAsync();
            using var append = new HttpRequestMessage(HttpMethod.Post, new Uri(cluster.MasterUrl, "messages"))
            {
                Content = TestCluster.JsonContent(new { message = "traced", w = 1 }),
            };
            append.Headers.Add("traceparent", $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
            using var response = await TestCluster.SendAsync(append);
            Assert.True(response.IsSuccessStatusCode, $"append answered {(int)response.StatusCode}");
        }

        var spans = dashboard.Store.Spans().Where(s => s.TraceId == trace.ToHexString()).ToList();
        var appendSpan = Assert.Single(spans, s => s.Name == "wait for w");
        Assert.Equal(("master", "master-under-test"), (appendSpan.Resource.Name, appendSpan.Resource.InstanceId));
        Assert.Contains(dashboard.Store.Logs(), l => l.Resource.InstanceId == "master-under-test" && l.Category.StartsWith("ReplicatedLog.", StringComparison.Ordinal));
        Assert.Contains(dashboard.Store.Instruments(), i => i.Resource.InstanceId == "master-under-test" && i.Name == "replicatedlog.master.appends");
    }
}
