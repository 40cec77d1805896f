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
    public void AHeartbeatTellsWhatTheReplicaHoldsAndHowSlowItIs()
    {
        var heartbeat = _replica.Heartbeat(new HeartbeatRequest("log", 0));
        Assert.Equal((0L, 1000, false), (heartbeat.AppliedIndex, heartbeat.DelayMs, heartbeat.LogIdMismatch));
    }
}
