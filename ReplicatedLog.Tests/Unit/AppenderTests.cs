using Microsoft.Extensions.Logging.Abstractions;
using ReplicatedLog.Master.Health;
using ReplicatedLog.Master.Replication;
using ReplicatedLog.Core.Contracts;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Unit;

/// <summary>
/// One client append against the real log, barrier, registry and gate, with two scripted secondaries on a fake
/// clock: what the client is told, and what stays in the log, when the wait ends early.
/// </summary>
public sealed class AppenderTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private readonly ManualTimeProvider _time = new();
    private readonly AcknowledgementBarrier _barrier = new();
    private readonly MasterLog _log;
    private readonly SecondaryRegistry _registry;
    private readonly Appender _appender;

    public AppenderTests()
    {
        _log = new MasterLog(_barrier);
        _registry = ScriptedRegistry.Create(_time, secondaries: 2, _barrier);
        var gate = new WriteGate(_registry, new QuorumOptions(), NullLogger<WriteGate>.Instance);
        _appender = new Appender(_log, _barrier, _registry, gate, _time, NullLogger<Appender>.Instance);
    }

    [Fact]
    public async Task AnAppendWhoseTimeoutPassesAnswersTimedOutAndKeepsItsEntry()
    {
        AllAnswerHeartbeats();
        var append = AppendAsync(w: 2, Timeout);

        _time.Advance(Timeout - TimeSpan.FromMilliseconds(1));
        Assert.False(append.IsCompleted, "the append stopped waiting before its timeout");
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var result = await append.WaitAsync(Deadline);

        Assert.Equal((AppendStatus.TimedOut, 1L, 2, 1), (result.Status, result.Index, result.W, result.Acks));
        Assert.Equal(["m"], _log.Messages());
        Assert.Equal(0, _barrier.PendingWaits);

        Acknowledge(secondary: 1, index: 1);
        Assert.Equal(2, _barrier.AcksFor(1));
        Assert.Equal(["m"], _log.Messages());
    }

    [Fact]
    public async Task ATimedOutAppendSaysHowManyNodesItReached()
    {
        AllAnswerHeartbeats();
        var append = AppendAsync(w: 3, Timeout);
        Acknowledge(secondary: 1, index: 1);

        _time.Advance(Timeout);
        var result = await append.WaitAsync(Deadline);

        Assert.Equal((AppendStatus.TimedOut, 3, 2), (result.Status, result.W, result.Acks));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(5_000)]
    public async Task AnAppendWhoseClientLeavesKeepsItsEntryAndLeavesNoWaiter(int? timeoutMs)
    {
        AllAnswerHeartbeats();
        using var client = new CancellationTokenSource();
        var append = AppendAsync(w: 2, timeoutMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null, client.Token);
        Assert.Equal(1, _barrier.PendingWaits);

        await client.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => append.WaitAsync(Deadline));
        Assert.Equal(["m"], _log.Messages());
        Assert.Equal(0, _barrier.PendingWaits);
    }

    [Fact]
    public async Task AClientThatLeavesAfterItsTimeoutFiredIsStillToldTimedOut()
    {
        AllAnswerHeartbeats();
        using var client = new CancellationTokenSource();
        var append = AppendAsync(w: 2, Timeout, client.Token);

        _time.Advance(Timeout);
        await client.CancelAsync(); // whichever the appender sees first, the timeout came first

        var result = await append.WaitAsync(Deadline);
        Assert.Equal(AppendStatus.TimedOut, result.Status);
        Assert.Equal(0, _barrier.PendingWaits);
    }

    [Fact]
    public async Task AConcernOfEveryNodeIsAnsweredOnceEveryNodeHoldsTheEntry()
    {
        AllAnswerHeartbeats();
        var append = AppendAsync(w: 3);

        Acknowledge(secondary: 1, index: 1);
        Assert.False(append.IsCompleted, "w=3 was answered with one secondary of two");
        Acknowledge(secondary: 2, index: 1);

        var result = await append.WaitAsync(Deadline);
        Assert.Equal((AppendStatus.Written, 1L, 3), (result.Status, result.Index, result.Acks));
    }

    [Fact]
    public async Task AConcernAboveTheClusterSizeIsRefusedAndAppendsNothing()
    {
        AllAnswerHeartbeats();

        var result = await AppendAsync(w: 4).WaitAsync(Deadline);

        Assert.Equal((AppendStatus.ConcernTooHigh, 4), (result.Status, result.W));
        Assert.Contains("at most 3", result.Reason, StringComparison.Ordinal);
        Assert.Equal(0, _log.LastIndex);
    }

    [Fact]
    public async Task AReadOnlyMasterRefusesAppendsAndAppendsNothing()
    {
        AllAnswerHeartbeats();
        foreach (var peer in _registry.Peers)
        {
            peer.GoDown();
        }

        var result = await AppendAsync(w: 1).WaitAsync(Deadline);

        Assert.Equal(AppendStatus.ReadOnly, result.Status);
        Assert.StartsWith("read-only", result.Reason, StringComparison.Ordinal);
        Assert.Equal(0, _log.LastIndex);
    }

    [Fact]
    public async Task ARepeatedIdempotencyKeyAnswersDuplicateWithTheOriginalIndex()
    {
        AllAnswerHeartbeats();
        var first = await AppendAsync(w: 1, key: "key-1", message: "first").WaitAsync(Deadline);
        await AppendAsync(w: 1, message: "second").WaitAsync(Deadline);

        var repeat = await AppendAsync(w: 1, key: "key-1", message: "first, again").WaitAsync(Deadline);

        Assert.Equal((AppendStatus.Written, 1L, false), (first.Status, first.Index, first.Duplicate));
        Assert.Equal((AppendStatus.Written, 1L, true), (repeat.Status, repeat.Index, repeat.Duplicate));
        Assert.Equal(["first", "second"], _log.Messages());
    }

    private Task<AppendResult> AppendAsync(
        int w, TimeSpan? timeout = null, CancellationToken clientGone = default, string? key = null, string message = "m") =>
        _appender.AppendAsync(message, WriteConcern.Nodes(w), key, timeout, clientGone);

    private void AllAnswerHeartbeats()
    {
        foreach (var peer in _registry.Peers)
        {
            peer.AnswerHeartbeat(_time);
        }
    }

    /// <summary>Secondary number <paramref name="secondary"/> answers replication: it holds 1..<paramref name="index"/>.</summary>
    private void Acknowledge(int secondary, long index) =>
        _registry.Peers[secondary - 1].OnAppendAnswered(new AppendEntriesResponse(PeerHeartbeats.Instance, _log.LogId, index, 0), lastSent: index);
}
