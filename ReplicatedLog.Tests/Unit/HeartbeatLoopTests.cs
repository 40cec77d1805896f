using Microsoft.Extensions.Logging;
using ReplicatedLog.Master.Health;
using ReplicatedLog.Master.Replication;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Unit;

/// <summary>One heartbeat at a time against a scripted secondary: what it makes of the answer, and what it logs.</summary>
public sealed class HeartbeatLoopTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly ScriptedSecondary _secondary;
    private readonly SecondaryPeer _peer;
    private readonly LogCapture _log = new();
    private readonly HeartbeatLoop _loop;

    public HeartbeatLoopTests()
    {
        _secondary = new ScriptedSecondary(_time);
        _peer = new SecondaryPeer("s1", _secondary, new AcknowledgementBarrier(), unhealthyAfterMisses: 3);
        _loop = new HeartbeatLoop(_peer, new MasterLog(), new HealthOptions(), _time, _log.For<HeartbeatLoop>());
    }

    [Fact]
    public async Task ARefusingSecondaryIsToldOnceAsAWarningAndThenOnlyAtDebug()
    {
        _secondary.RefuseLog = true;
        for (var beat = 0; beat < 5; beat++)
        {
            await _loop.BeatOnceAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        }

        Assert.True(_peer.IsRefusing);
        var loud = _log.AtLeast(LogLevel.Warning);
        Assert.Single(loud);
        Assert.Contains("refuses this log", loud[0].Message, StringComparison.Ordinal);
        Assert.Equal(4, _log.Entries.Count(e => e.Level == LogLevel.Debug && e.Message.Contains("still refuses", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AHeartbeatCarriesTheMastersGenerationAndBaseAndASecondaryThatFollowedANewerOneIsShownRefusing()
    {
        _secondary.FollowedGeneration = 2; // this master (generation 1) runs on a copy older than what the secondary followed

        await _loop.BeatOnceAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal((1L, 0L), (_secondary.Heartbeats[0].Generation, _secondary.Heartbeats[0].Base));
        Assert.True(_peer.IsRefusing);
        Assert.Contains("followed generation 2 of this log, newer than this master's 1", _peer.Describe(0).LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASecondaryThatStopsRefusingIsNoLongerShownRefusing()
    {
        _secondary.RefuseLog = true;
        await _loop.BeatOnceAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        _secondary.RefuseLog = false;
        _secondary.Restart(); // started empty, as the refusal tells the operator to

        await _loop.BeatOnceAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(_peer.IsRefusing);
        Assert.True(_peer.Describe(0).AcksCounted);
    }
}
