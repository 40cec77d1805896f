using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Processes;

/// <summary>
/// The AppHost's services as real processes, given the OTLP variables the AppHost gives them, and a dashboard in the
/// test process whose store the test reads.
/// </summary>
public sealed class DashboardTelemetryTests
{
    [Fact]
    public async Task TheServicesSendTheirSpansLogsAndMetricsToTheDashboardUnderTheirResourceNamesAndAReplicationIsOneTrace()
    {
        await using var dashboard = await TestDashboard.StartAsync();
        await using var cluster = ProcessCluster.Create(secondaries: 1, dashboard.ReceiveFrom);
        await cluster.Runner.StartAllAsync();
        await cluster.WaitForWritableAsync();

        var (status, _) = await cluster.AppendAsync("traced across processes", w: 2);
        Assert.InRange(status, 200, 299);

        var store = dashboard.Store;
        await Eventually.TrueAsync("the master's wait for w", () => store.Spans().Any(s => s.Name == "wait for w" && s.Resource is { Name: "master", InstanceId: "master" }),
            describe: () => string.Join(", ", store.Resources.Select(r => r.Key)));
        await Eventually.TrueAsync("a trace with spans of both the master and secondary-1",
            () => store.Traces().Any(t => t.Services.Contains("master") && t.Services.Contains("secondary-1")),
            describe: () => $"{store.Traces().Count} traces of {string.Join(", ", store.Resources.Select(r => r.Key))}");
        await Eventually.TrueAsync("secondary-1's logs and the master's append counter",
            () => store.Logs().Any(l => l.Resource.InstanceId == "secondary-1")
                && store.Instruments().Any(i => i.Resource.InstanceId == "master" && i.Name == "replicatedlog.master.appends"),
            describe: () => $"{store.Logs().Count} logs, instruments: {string.Join(", ", store.Instruments().Select(i => $"{i.Resource.Key} {i.Name}").Take(10))}");
    }
}
