using System.Text.Json;
using ReplicatedLog.Bench.Load;
using ReplicatedLog.Bench.Options;
using ReplicatedLog.Bench.Redis;
using ReplicatedLog.Bench.Reporting;
using ReplicatedLog.Bench.Targets;

namespace ReplicatedLog.Tests.Unit;

/// <summary>What the benchmark reports: percentiles and throughput from its histogram, failures by kind, and the bodies it sends.</summary>
public sealed class BenchReportTests
{
    private static readonly BenchOptions Options = new() { Url = new Uri("http://127.0.0.1:8000") };
    private static readonly TargetInfo Master = new(ReplicatedLogTarget.System, "http://127.0.0.1:8000/messages", null);

    [Fact]
    public void PercentilesComeFromTheHistogramInMillisecondsAndThroughputFromTheAcknowledgedAppends()
    {
        var recorder = new LatencyRecorder();
        for (var us = 1; us <= 1000; us++)
        {
            recorder.Record(us);
        }

        recorder.ReadInterval();
        var report = BenchReport.From(Options, Master, new LoadResult(recorder.Total, ErrorCounts.None, 1000, TimeSpan.FromSeconds(2)));

        Assert.Equal(new LatencySummary(0.5, 0.9, 0.99, 0.999, 1.0, 0.5), report.LatencyMs);
        Assert.Equal((1000L, 1000L, 500.0, true), (report.Appends, report.Successes, report.ThroughputPerSecond, report.Ok));
        Assert.Equal(("ReplicatedLog", "closed-loop", "all", 10.0), (report.System, report.Mode, report.W, report.DurationSeconds));
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
            new(AppendOutcomeKind.ShortWrite, Detail: "WAIT 2 0 counted 1 replica"), new(AppendOutcomeKind.ErrorReply, Detail: "RPUSH answered -OOM"),
            AppendOutcome.Acknowledged,
        })
        {
            errors.Add(outcome);
        }

        var report = BenchReport.From(Options, Master, new LoadResult(LatencyRecorder.NewHistogram(), errors.Snapshot(), 10, TimeSpan.FromSeconds(1)));

        Assert.Equal((7L, 2L, 1L, 1L, 1L, 1L, 1L), (report.Errors.Total, report.Errors.Status["503"], report.Errors.Status["202"],
            report.Errors.ShortWrites, report.Errors.ErrorReplies, report.Errors.Timeouts, report.Errors.Connection));
        Assert.False(report.Ok);
        Assert.Equal("FAILED: 7 of 17 appends failed (status 202 ×1, status 503 ×2, short write ×1, error reply ×1, timeout ×1, connection ×1); " +
            "first: WAIT 2 0 counted 1 replica", ReportText.Failure(report));
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

    [Fact]
    public void WithAWaitTimeoutEachBodyCarriesItAsTimeoutMs()
    {
        var body = new AppendBodies(2, WriteConcern.All, keys: true, "run1", TimeSpan.FromMilliseconds(250)).For(3);

        Assert.Equal("""{"message":"xx","w":"all","timeoutMs":250,"id":"run1-3"}""", System.Text.Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void ARedisAppendIsRpushWithWaitForWMinusOneReplicasInOneSendAndRpushAloneForW1()
    {
        var primary = new Uri("redis://127.0.0.1:6379");

        var w3 = new RedisAppend(primary, 3, waitReplicas: 2, TimeSpan.FromMilliseconds(50));
        var w1 = new RedisAppend(primary, 3, waitReplicas: null, waitTimeout: null);

        Assert.Equal("*3\r\n$5\r\nRPUSH\r\n$19\r\nreplicatedlog-bench\r\n$3\r\nxxx\r\n*3\r\n$4\r\nWAIT\r\n$1\r\n2\r\n$2\r\n50\r\n",
            System.Text.Encoding.UTF8.GetString(w3.Commands));
        Assert.Equal("*3\r\n$5\r\nRPUSH\r\n$19\r\nreplicatedlog-bench\r\n$3\r\nxxx\r\n", System.Text.Encoding.UTF8.GetString(w1.Commands));
        Assert.Equal(("RPUSH replicatedlog-bench + WAIT 2 50, pipelined", "RPUSH replicatedlog-bench"), (w3.Describe(), w1.Describe()));
    }

    [Fact]
    public void ARedisAppendSucceedsOnlyWhenWaitCountsTheReplicasAskedFor()
    {
        var append = new RedisAppend(new Uri("redis://h:1"), 8, waitReplicas: 2, waitTimeout: null);
        var pushed = new RespReply(RespReplyKind.Integer, 41);

        Assert.Equal(AppendOutcome.Acknowledged, append.Outcome(pushed, new RespReply(RespReplyKind.Integer, 2)));
        Assert.Equal(new AppendOutcome(AppendOutcomeKind.ShortWrite, Detail: "WAIT 2 0 counted 1 replica"), append.Outcome(pushed, new RespReply(RespReplyKind.Integer, 1)));
        Assert.Equal(new AppendOutcome(AppendOutcomeKind.ErrorReply, Detail: "RPUSH answered -READONLY You can't write against a read only replica."),
            append.Outcome(new RespReply(RespReplyKind.Error, Text: "READONLY You can't write against a read only replica."), new RespReply(RespReplyKind.Integer, 2)));
        Assert.Equal(AppendOutcomeKind.ErrorReply, append.Outcome(pushed, new RespReply(RespReplyKind.Error, Text: "ERR WAIT cannot be used with replica instances.")).Kind);
    }

    [Theory]
    [InlineData("3", 2, 2)]
    [InlineData("2", 0, 1)]
    [InlineData("all", 2, 2)]
    [InlineData("majority", 2, 1)]
    [InlineData("majority", 4, 2)]
    public void WOnRedisAsksWaitForWMinusOneReplicasWithAllAndMajorityCountedOverTheReplicasOnline(string w, int online, int replicas) =>
        Assert.Equal(replicas, RedisTarget.WaitReplicas(WriteConcern.Parse(w)!, online));

    [Theory]
    [InlineData("1", 2)]
    [InlineData("all", 0)]
    [InlineData("majority", 0)]
    public void WOfOneNodeOnRedisSendsNoWait(string w, int online) => Assert.Null(RedisTarget.WaitReplicas(WriteConcern.Parse(w)!, online));

    [Fact]
    public void OnlyReplicasInStateOnlineCountFromInfoReplication()
    {
        const string info = "# Replication\r\nrole:master\r\nconnected_slaves:3\r\n" +
            "slave0:ip=127.0.0.1,port=7001,state=online,offset=42,lag=0\r\n" +
            "slave1:ip=127.0.0.1,port=7002,state=wait_bgsave,offset=0,lag=0\r\n" +
            "slave2:ip=127.0.0.1,port=7003,state=online,offset=42,lag=1\r\n" +
            "slave_read_repl_offset:42\r\nmaster_repl_offset:42\r\n";

        Assert.Equal(2, RedisReplication.OnlineReplicas(info));
    }
}
