using Microsoft.Extensions.Logging.Abstractions;
using ReplicatedLog.Master.Replication;
using ReplicatedLog.Core.Contracts;
using ReplicatedLog.Core.Log;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Unit;

/// <summary>The per-secondary replication loop against a scripted secondary on a fake clock: no sockets, no sleeping.</summary>
public sealed class ReplicationLoopTests : IAsyncDisposable
{
    private readonly ManualTimeProvider _time = new();
    private readonly AcknowledgementBarrier _barrier = new();
    private readonly MasterLog _log;
    private readonly ScriptedSecondary _secondary;
    private readonly SecondaryPeer _peer;
    private readonly CancellationTokenSource _stop = new();
    private Task? _running;

    public ReplicationLoopTests()
    {
        _log = new MasterLog(_barrier);
        _secondary = new ScriptedSecondary(_time);
        _peer = new SecondaryPeer("s1", _secondary, _barrier, unhealthyAfterMisses: 3);
    }

    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(1);

    /// <summary>Runs the loop; a secondary not heard from yet answers its first heartbeat, as replication waits for one.</summary>
    private void Start(int maxEntries = 1000, int maxBytes = int.MaxValue)
    {
        if (!_peer.HasAnswered)
        {
            MarkHealthy();
        }

        var options = new ReplicationOptions { BatchMaxEntries = maxEntries, BatchMaxBytes = maxBytes };
        var pipeline = ReplicationLoop.CreatePipeline(_peer, options.Retry, HeartbeatInterval, _time, NullLogger.Instance);
        var loop = new ReplicationLoop(_peer, _log, pipeline, options, NullLogger<ReplicationLoop>.Instance);
        _running = loop.RunAsync(_stop.Token);
    }

    [Fact]
    public async Task AFailedSendIsRetriedAfterABackoffOnTheClockUntilItIsAcknowledged()
    {
        MarkHealthy();
        var calls = await FailTwiceThenAcknowledgeAsync();
        Assert.Equal(3, calls.Count);
        Assert.All(calls, c => Assert.Equal((1L, 1L), (c.First, c.Last)));
        Assert.True(calls[1].At > calls[0].At, "the first retry did not wait for the backoff");
        Assert.True(calls[2].At > calls[1].At, "the second retry did not wait for the backoff");
        Assert.True(calls[1].At - calls[0].At < HeartbeatInterval, "a Healthy secondary was retried at the heartbeat's pace");
    }

    [Fact]
    public async Task ACallThatTimesOutInsideTheHttpClientIsRetriedAfterABackoffLikeAnyFailedSend()
    {
        // SocketsHttpHandler's ConnectTimeout ends a call with a TaskCanceledException (inner TimeoutException) that
        // no token of ours asked for: a failed send, not the loop being told to start over.
        MarkHealthy();
        var calls = await FailTwiceThenAcknowledgeAsync(
            () => new TaskCanceledException("The operation was canceled.", new TimeoutException("A connection could not be established within the configured ConnectTimeout.")));
        Assert.Equal(3, calls.Count);
        Assert.True(calls[1].At > calls[0].At, "the first retry did not wait for the backoff");
        Assert.True(calls[2].At > calls[1].At, "the second retry did not wait for the backoff");
    }

    [Fact]
    public async Task ASecondaryThatKeptTheLogIsSentOnlyWhatItLacksOnceItsFirstHeartbeatSaysSo()
    {
        // A restarted master meets a secondary that kept 1..5: it must not send them again.
        for (var i = 1; i <= 5; i++)
        {
            _log.Append($"m{i}", null);
        }

        _secondary.Hold(5);
        var options = new ReplicationOptions();
        var loop = new ReplicationLoop(_peer, _log,
            ReplicationLoop.CreatePipeline(_peer, options.Retry, HeartbeatInterval, _time, NullLogger.Instance), options,
            NullLogger<ReplicationLoop>.Instance);
        _running = loop.RunAsync(_stop.Token);
        Assert.Empty(_secondary.Calls);

        _peer.OnHeartbeatAnswered(new HeartbeatResponse("instance-1", "log", 5, 0, 0, false), _time.GetUtcNow(), logsMatch: true);
        _log.Append("m6", null);

        await Eventually.TrueAsync("m6 to be acknowledged", () => _peer.AckedIndex == 6, describe: () => $"{_secondary.Calls.Count} calls");
        Assert.All(_secondary.Calls, c => Assert.Equal((6L, 6L), (c.First, c.Last)));
    }

    [Fact]
    public async Task AHeartbeatAnsweredAfterAFailedSendRetriesAtOnceInsteadOfWaitingOutTheBackoff()
    {
        MarkHealthy();
        _secondary.FailNext(1);
        _log.Append("m1", null);
        Start();
        await Eventually.TrueAsync("the failed send to be seen", () => !_peer.Describe(1).AcksCounted,
            describe: () => $"{_secondary.Calls.Count} calls");

        // The clock stands still: only the heartbeat can end the backoff.
        _peer.OnHeartbeatAnswered(new HeartbeatResponse("instance-1", "log", 0, 0, 0, false), _time.GetUtcNow());

        await Eventually.TrueAsync("the entry to be acknowledged", () => _peer.AckedIndex == 1,
            describe: () => $"{_secondary.Calls.Count} calls, acked {_peer.AckedIndex}");
        Assert.Equal(2, _secondary.Calls.Count);
    }

    [Fact]
    public async Task ASecondaryThatRefusesThisLogIsNotSentToUntilItAnswersAsAMemberAgain()
    {
        MarkHealthy();
        _log.Append("m1", null);
        _secondary.RefuseLog = true;
        Start();
        await Eventually.TrueAsync("the refusal to be seen", () => _peer.IsRefusing);
        var calls = _secondary.Calls.Count;

        _time.Advance(TimeSpan.FromMinutes(1)); // no backoff runs out: nothing is retried while it refuses
        _log.Append("m2", null);
        Assert.Equal(calls, _secondary.Calls.Count);

        _secondary.RefuseLog = false;
        _secondary.Restart(); // started empty: a new instance that takes this log
        _peer.OnHeartbeatAnswered(new HeartbeatResponse(_secondary.Instance, null, 0, 0, 0, false), _time.GetUtcNow());
        await Eventually.TrueAsync("both entries to be acknowledged", () => _peer.AckedIndex == 2,
            describe: () => $"{_secondary.Calls.Count} calls, acked {_peer.AckedIndex}");
    }

    [Fact]
    public async Task RetriesToAnUnhealthySecondarySlowDownToTheHeartbeatPace()
    {
        MarkHealthy();
        _peer.MissHeartbeats(3);
        Assert.Equal(SecondaryStatus.Unhealthy, _peer.Status);
        var calls = await FailTwiceThenAcknowledgeAsync();
        Assert.True(calls[1].At - calls[0].At >= HeartbeatInterval, $"retried after {calls[1].At - calls[0].At}");
        Assert.True(calls[2].At - calls[1].At >= HeartbeatInterval, $"retried after {calls[2].At - calls[1].At}");
    }

    [Fact]
    public async Task ALowerAcknowledgementFromARestartedSecondaryRewindsAndResendsEverything()
    {
        for (var i = 1; i <= 5; i++)
        {
            _log.Append($"m{i}", null);
        }

        Start();
        await Eventually.TrueAsync("1..5 acknowledged", () => _peer.AckedIndex == 5);

        _secondary.Restart();
        _log.Append("m6", null);
        await Eventually.TrueAsync("the secondary to hold 1..6 again", () => _secondary.Applied == 6 && _peer.AckedIndex == 6,
            describe: () => string.Join(" ", _secondary.Calls.Select(c => $"[{c.First}..{c.Last}]")));

        Assert.Equal([(1L, 5L), (6L, 6L), (1L, 6L)], _secondary.Calls.Select(c => (c.First, c.Last)));
    }

    [Fact]
    public async Task EachRequestSaysTheMastersGenerationItsBaseAndTheChecksumOfTheEntryItContinues()
    {
        for (var i = 1; i <= 5; i++)
        {
            _log.Append($"m{i}", null);
        }

        Start(maxEntries: 3);
        await Eventually.TrueAsync("all acknowledged", () => _peer.AckedIndex == 5);

        Assert.Equal([(1L, 0L, 1L), (1L, 0L, 4L)],
            _secondary.Requests.Select(r => (r.Generation, r.Base, r.Entries[0].Index)));
        Assert.Equal([LogChecksum.Format(_log.ChecksumAt(0)!.Value), LogChecksum.Format(_log.ChecksumAt(3)!.Value)],
            _secondary.Requests.Select(r => r.PrevChecksum));
        Assert.All(_secondary.Requests.SelectMany(r => r.Entries), e => Assert.Equal(1, e.Generation));
    }

    [Fact]
    public async Task BatchesRespectTheEntryLimit()
    {
        for (var i = 1; i <= 8; i++)
        {
            _log.Append($"m{i}", null);
        }

        Start(maxEntries: 3);
        await Eventually.TrueAsync("all acknowledged", () => _peer.AckedIndex == 8);
        Assert.Equal([(1L, 3L), (4L, 6L), (7L, 8L)], _secondary.Calls.Select(c => (c.First, c.Last)));
    }

    [Fact]
    public async Task BatchesRespectTheByteLimit()
    {
        for (var i = 1; i <= 5; i++)
        {
            _log.Append(new string('x', 100), null);
        }

        Start(maxBytes: 250);
        await Eventually.TrueAsync("all acknowledged", () => _peer.AckedIndex == 5);
        Assert.Equal([(1L, 2L), (3L, 4L), (5L, 5L)], _secondary.Calls.Select(c => (c.First, c.Last)));
    }

    [Fact]
    public async Task AcknowledgementsReleaseWritersWaitingForThem()
    {
        Start();
        var index = _log.Append("m1", null).Index;
        Assert.Equal(2, await _barrier.WaitAsync(index, 2, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void AHeartbeatFromANewInstanceRewindsToWhatItHolds()
    {
        _peer.OnAppendAnswered(new AppendEntriesResponse("a", "log", 5, 0), lastSent: 5);
        Assert.Equal(6, _peer.NextIndex);

        var rewound = _peer.OnHeartbeatAnswered(new HeartbeatResponse("b", null, 0, 0, 0, false), _time.GetUtcNow());

        Assert.True(rewound);
        Assert.Equal(1, _peer.NextIndex);
        Assert.Equal(0, _peer.AckedIndex);
        Assert.True(_peer.WhenKicked.IsCompleted);
    }

    [Fact]
    public void AHeartbeatFromTheSameInstanceNeverMovesAcknowledgementsBack()
    {
        _peer.OnAppendAnswered(new AppendEntriesResponse("a", "log", 5, 0), lastSent: 5);
        Assert.False(_peer.OnHeartbeatAnswered(new HeartbeatResponse("a", "log", 3, 0, 0, false), _time.GetUtcNow()));
        Assert.Equal(5, _peer.AckedIndex);
        Assert.Equal(6, _peer.NextIndex);
    }

    /// <summary>Sends one entry to a secondary that fails twice, moving the clock until it is acknowledged.</summary>
    private async Task<IReadOnlyList<(DateTimeOffset At, long First, long Last)>> FailTwiceThenAcknowledgeAsync(Func<Exception>? failure = null)
    {
        _secondary.FailNext(2, failure);
        _log.Append("m1", null);
        Start();

        await Eventually.TrueAsync("the first attempt", () => _secondary.Calls.Count >= 1);
        await Eventually.TrueAsync("two retries and an acknowledgement", () =>
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            return _peer.AckedIndex == 1;
        }, describe: () => $"{_secondary.Calls.Count} calls, acked {_peer.AckedIndex}");
        return _secondary.Calls;
    }

    /// <summary>A heartbeat answered: the secondary is Healthy, so retries follow the backoff.</summary>
    private void MarkHealthy()
    {
        _peer.OnHeartbeatAnswered(new HeartbeatResponse("instance-1", null, 0, 0, 0, false), _time.GetUtcNow());
        _peer.TakeKick();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_running is not null)
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(10));
        }

        _stop.Dispose();
    }
}
