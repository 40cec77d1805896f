using System.Text.Json;
using ReplicatedLog.Bench;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Processes;

/// <summary>
/// The benchmark as a user runs it: against a cluster it starts itself (real processes) and against a running one
/// (in-process), counting every append and writing the JSON that tooling reads. No figure is asserted.
/// </summary>
public sealed class BenchToolTests
{
    /// <summary>The fields <c>--json</c> writes, as the README documents them.</summary>
    private static readonly string[] DocumentedFields =
    [
        "system", "target", "cluster", "mode", "clients", "w", "sizeBytes", "keys", "rate", "waitTimeoutSeconds", "warmupSeconds", "durationSeconds", "count",
        "elapsedSeconds", "appends", "successes", "errors", "throughputPerSecond", "latencyMs", "ok",
    ];

    [Fact]
    public async Task ACountOf200AgainstAClusterItStartsIsReportedAs200SuccessesAndTheClusterIsStoppedAfter()
    {
        using var data = new TempDirectory("bench");
        var json = Path.Combine(data.Path, "result.json");
        var (output, error) = (new StringWriter(), new StringWriter());

        var exitCode = await BenchApp.RunAsync(
            ["--start", "--secondaries", "1", "--count", "200", "--clients", "4", "--warmup", "0", "--w", "all", "--json", json],
            output, error, live: false, CancellationToken.None);

        Assert.True(exitCode == BenchApp.Success, $"exit code {exitCode}{Environment.NewLine}{error}{output}");
        var report = JsonDocument.Parse(await File.ReadAllTextAsync(json)).RootElement;
        Assert.Equal(DocumentedFields, report.EnumerateObject().Select(p => p.Name));
        Assert.Equal((200, 200, 0, true), (report.GetProperty("appends").GetInt64(), report.GetProperty("successes").GetInt64(),
            report.GetProperty("errors").GetProperty("total").GetInt64(), report.GetProperty("ok").GetBoolean()));
        Assert.Equal((1, false), (report.GetProperty("cluster").GetProperty("secondaries").GetInt32(), report.GetProperty("cluster").GetProperty("durable").GetBoolean()));
        Assert.Equal(["total", "status", "shortWrites", "errorReplies", "timeouts", "connection", "first"], report.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["p50", "p90", "p99", "p999", "max", "mean"], report.GetProperty("latencyMs").EnumerateObject().Select(p => p.Name));
        Assert.Equal("ReplicatedLog", report.GetProperty("system").GetString());
        Assert.Contains("200 acknowledged, 0 failed", output.ToString(), StringComparison.Ordinal);

        // What it started, it stopped: the master no longer answers.
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Assert.ThrowsAsync<HttpRequestException>(() => probe.GetAsync(new Uri(new Uri(report.GetProperty("target").GetString()!), "/health")));
    }

    [Fact]
    public async Task AFixedRateRunWithKeysAgainstARunningMasterAppendsEachMessageOnceAndWritesOnlyJsonToStandardOutput()
    {
        await using var cluster = await TestCluster.StartAsync(secondaries: 2);
        await cluster.WaitForWritableAsync();
        var (output, error) = (new StringWriter(), new StringWriter());

        var exitCode = await BenchApp.RunAsync(
            ["--url", cluster.MasterUrl.ToString(), "--count", "200", "--rate", "400", "--clients", "8", "--keys", "--w", "3", "--warmup", "0", "--json"],
            output, error, live: false, CancellationToken.None);

        Assert.True(exitCode == BenchApp.Success, $"exit code {exitCode}{Environment.NewLine}{error}{output}");
        var report = JsonDocument.Parse(output.ToString()).RootElement;
        Assert.Equal(("fixed-rate", 400, 200L, 200L, JsonValueKind.Null),
            (report.GetProperty("mode").GetString(), report.GetProperty("rate").GetInt32(), report.GetProperty("appends").GetInt64(),
             report.GetProperty("successes").GetInt64(), report.GetProperty("cluster").ValueKind));
        Assert.Equal(200, (await TestCluster.MessagesAsync(cluster.MasterUrl)).Count);
    }

    [Fact]
    public async Task AppendsTheMasterRefusesFailTheRunLoudlyWithExitCode1()
    {
        await using var cluster = await TestCluster.StartAsync(secondaries: 1);
        var (output, error) = (new StringWriter(), new StringWriter());

        // w=3 with one secondary: every append is a 400.
        var exitCode = await BenchApp.RunAsync(
            ["--url", cluster.MasterUrl.ToString(), "--count", "20", "--clients", "2", "--w", "3", "--warmup", "0"],
            output, error, live: false, CancellationToken.None);

        Assert.Equal(BenchApp.Failed, exitCode);
        Assert.Contains("bench | FAILED: 20 of 20 appends failed (status 400 ×20)", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("0 acknowledged, 20 failed", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithAWaitTimeoutAnAppendWhoseWIsNotMetInTimeIsTheMastersAnswer202AndFailsTheRun()
    {
        // secondary-2 is never started: w=3 cannot be met, and each append gives up waiting after 50 ms.
        await using var cluster = await TestCluster.StartAsync(secondaries: 2, started: [0], master: new() { ["Quorum:Enabled"] = "false" });
        await cluster.WaitForWritableAsync();
        var (output, error) = (new StringWriter(), new StringWriter());

        var exitCode = await BenchApp.RunAsync(
            ["--url", cluster.MasterUrl.ToString(), "--count", "4", "--clients", "2", "--w", "3", "--wait-timeout", "50ms", "--warmup", "0"],
            output, error, live: false, CancellationToken.None);

        Assert.Equal(BenchApp.Failed, exitCode);
        Assert.Contains("bench | FAILED: 4 of 4 appends failed (status 202 ×4)", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("w=3 (waiting at most 0.05 s)", output.ToString(), StringComparison.Ordinal);
    }
}
