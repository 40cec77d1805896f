using Microsoft.Extensions.Logging.Abstractions;
using ReplicatedLog.Core.Contracts;
using ReplicatedLog.Core.Log;
using ReplicatedLog.Secondary.Registration;
using ReplicatedLog.Secondary.Replication;
using ReplicatedLog.Secondary.Storage;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Unit;

/// <summary>The secondary's core without HTTP: the delay, the refusal of another log, what a heartbeat tells.</summary>
public sealed class ReplicaTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly ManualTimeProvider _time = new();
    private readonly Replica _replica;

    public ReplicaTests() => _replica = new Replica(new ReplicaLog(100), new ReplicationDelay(1000), new MasterContact(_time), _time,
        NullLogger<Replica>.Instance);

    /// <summary>Entries <paramref name="from"/> to <paramref name="to"/> ("m" and the index) from master run <paramref name="generation"/>.</summary>
    private AppendEntriesRequest Request(long generation, long @base, long from, long to) => new("log",
        [.. Enumerable.Range((int)from, (int)(to - from + 1)).Select(i => new LogEntry(i, $"m{i}", generation))],
        generation, @base, LogChecksum.Format(_replica.Log.ChecksumAt(from - 1)!.Value));

    [Fact]
    public async Task ABatchIsAppliedAndAcknowledgedOnlyAfterTheDelay()
    {
        var append = _replica.AppendAsync(new AppendEntriesRequest("log", [new LogEntry(1, "m1")]), CancellationToken.None);

        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(append.IsCompleted);
        Assert.Equal(0, _replica.Log.LastIndex);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        var result = await append.WaitAsync(Deadline);
        Assert.Equal(1, result.Response!.AppliedIndex);
        Assert.Equal(["m1"], _replica.Log.Messages());
    }

    [Fact]
    public async Task AnotherLogIsRefusedSaidSoInTheHeartbeatAndForgottenOnceTheRightOneComes()
    {
        _replica.Delay.Change(0);
        await _replica.AppendAsync(new AppendEntriesRequest("log-a", [new LogEntry(1, "a1")]), CancellationToken.None).WaitAsync(Deadline);

        var refused = await _replica.AppendAsync(new AppendEntriesRequest("log-b", [new LogEntry(2, "b2")]), CancellationToken.None).WaitAsync(Deadline);
        var heartbeat = _replica.Heartbeat(new HeartbeatRequest("log-b", 2));

        Assert.NotNull(refused.Refusal);
        Assert.Null(refused.Response);
        Assert.True(heartbeat.LogIdMismatch);
        Assert.Equal("log-b", _replica.RefusedLogId);
        Assert.Equal(["a1"], _replica.Log.Messages());

        await _replica.AppendAsync(new AppendEntriesRequest("log-a", [new LogEntry(2, "a2")]), CancellationToken.None).WaitAsync(Deadline);
        Assert.Null(_replica.RefusedLogId);
    }

    [Fact]
    public async Task ARequestOfAnOlderRunThatSleptInTheDelayWhileANewerRunTruncatedIsNotApplied()
    {
        _replica.Delay.Change(0);
        await _replica.AppendAsync(Request(1, 0, 1, 3), CancellationToken.None).WaitAsync(Deadline);
        _replica.Delay.Change(1000);
        var stale = _replica.AppendAsync(Request(1, 0, 4, 5), CancellationToken.None); // run 1 dies while this sleeps

        _replica.Heartbeat(new HeartbeatRequest("log", 3, Generation: 2, Base: 3)); // run 2 recovered 1..3
        _time.Advance(TimeSpan.FromMilliseconds(1000));
        var result = await stale.WaitAsync(Deadline);

        Assert.Null(result.Response);
        Assert.Contains("older run of the master", result.Refusal, StringComparison.Ordinal);
        Assert.Equal(["m1", "m2", "m3"], _replica.Log.Messages());
    }

    [Fact]
    public async Task AHeartbeatOfANewRunAnswersWhatIsLeftAfterDroppingTheLostSuffixWithItsChecksum()
    {
        _replica.Delay.Change(0);
        await _replica.AppendAsync(Request(1, 0, 1, 5), CancellationToken.None).WaitAsync(Deadline);

        var heartbeat = _replica.Heartbeat(new HeartbeatRequest("log", 3, Generation: 2, Base: 3));

        Assert.Equal((3L, 2L), (heartbeat.AppliedIndex, heartbeat.Generation));
        Assert.Equal(LogChecksum.Format(_replica.Log.ChecksumAt(3)!.Value), heartbeat.Checksum);
        Assert.Equal(3, _replica.Log.LastIndex);
    }

    [Fact]
    public void AHeartbeatTellsWhatTheReplicaHoldsAndHowSlowItIs()
    {
        var heartbeat = _replica.Heartbeat(new HeartbeatRequest("log", 0));
        Assert.Equal((0L, 1000, false), (heartbeat.AppliedIndex, heartbeat.DelayMs, heartbeat.LogIdMismatch));
    }
}
