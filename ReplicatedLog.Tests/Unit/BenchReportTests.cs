using System.Text.Json;
using ReplicatedLog.Bench.Load;
using ReplicatedLog.Bench.Options;
using ReplicatedLog.Bench.Reporting;

namespace ReplicatedLog.Tests.Unit;

/// <summary>What the benchmark reports: percentiles and throughput from its histogram, failures by kind, and the bodies it sends.</summary>
public sealed class BenchReportTests
{
    private static readonly BenchOptions Options = new() { Url = new Uri("http://127.0.0.1:8000") };

    [Fact]
    public void PercentilesComeFromTheHistogramInMillisecondsAndThroughputFromTheAcknowledgedAppends()
    {
        var recorder = new LatencyRecorder();
        for (var us = 1; us <= 1000; us++)
        {
            recorder.Record(us);
        }

        recorder.ReadInterval();
        var report = BenchReport.From(Options, new Uri("http://127.0.0.1:8000/messages"), new LoadResult(recorder.Total, ErrorCounts.None, 1000, TimeSpan.FromSeconds(2)));

        Assert.Equal(new LatencySummary(0.5, 0.9, 0.99, 0.999, 1.0, 0.5), report.LatencyMs);
        Assert.Equal((1000L, 1000L, 500.0, true), (report.Appends, report.Successes, report.ThroughputPerSecond, report.Ok));
        Assert.Equal(("closed-loop", "all", 10.0), (report.Mode, report.W, report.DurationSeconds));
    }

    [Fact]
    public void IntervalsReadWhileTheRunGoesOnAddUpToTheWholeRun()
    {
        var recorder = new LatencyRecorder();
        recorder.Record(100);
        Assert.Equal(1, recorder.ReadInterval().TotalCount);
        recorder.Record(300);
        recorder.Record(200);

        Assert.Equal(2, recorder.ReadInterval().TotalCount);
        Assert.Equal((3L, 300L), (recorder.Total.TotalCount, LatencySummary.Of(recorder.Total).Max is var max ? (long)(max * 1000) : 0));
    }

    [Fact]
    public void FailuresAreCountedByKindAndARunWithAnyIsNotOk()
    {
        var errors = new ErrorTally();
        foreach (var outcome in new AppendOutcome[]
        {
            new(AppendOutcomeKind.Status, 503), new(AppendOutcomeKind.Status, 503), new(AppendOutcomeKind.Status, 202),
            new(AppendOutcomeKind.Timeout, Detail: "no answer within 30 s"), new(AppendOutcomeKind.Connection, Detail: "Connection refused"),
            AppendOutcome.Acknowledged,
        })
        {
            errors.Add(outcome);
        }

        var report = BenchReport.From(Options, new Uri("http://h/messages"), new LoadResult(LatencyRecorder.NewHistogram(), errors.Snapshot(), 10, TimeSpan.FromSeconds(1)));

        Assert.Equal((5L, 2L, 1L, 1L, 1L), (report.Errors.Total, report.Errors.Status["503"], report.Errors.Status["202"], report.Errors.Timeouts, report.Errors.Connection));
        Assert.False(report.Ok);
        Assert.Equal("FAILED: 5 of 15 appends failed (status 202 ×1, status 503 ×2, timeout ×1, connection ×1); first: no answer within 30 s",
            ReportText.Failure(report));
    }

    [Fact]
    public void EachBodyIsAnAppendTheMasterReadsAndWithKeysEachHasAKeyOfItsOwn()
    {
        var plain = new AppendBodies(5, WriteConcern.Parse("majority")!, keys: false, "run1");
        var keyed = new AppendBodies(3, WriteConcern.Parse("2")!, keys: true, "run1");

        Assert.Equal("""{"message":"xxxxx","w":"majority"}""", System.Text.Encoding.UTF8.GetString(plain.For(7)));
        Assert.Same(plain.For(1), plain.For(2));
        var bodies = new[] { keyed.For(1), keyed.For(12345678901) }.Select(b => JsonDocument.Parse(b).RootElement).ToList();
        Assert.Equal(["run1-1", "run1-12345678901"], bodies.Select(b => b.GetProperty("id").GetString()));
        Assert.All(bodies, b => Assert.Equal(("xxx", 2), (b.GetProperty("message").GetString(), b.GetProperty("w").GetInt32())));
    }
}
