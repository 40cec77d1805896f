using ReplicatedLog.Master.Replication;
using ReplicatedLog.Core.Contracts;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Unit;

/// <summary>What the master believes of one secondary, and what it lets count toward write concern.</summary>
public sealed class SecondaryPeerTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly AcknowledgementBarrier _barrier = new();
    private readonly SecondaryPeer _peer;

    public SecondaryPeerTests()
    {
        _barrier.Acknowledge(_barrier.Master, long.MaxValue); // the master holds everything; the secondary is what counts here
        _peer = new SecondaryPeer("s1", new ScriptedSecondary(_time), _barrier, unhealthyAfterMisses: 3);
    }

    [Fact]
    public void AnAcknowledgementCountsOnlyUpToWhatTheRequestCarried()
    {
        // The secondary applied 1..7, 6 and 7 being entries it had held back: only 1..5 came from the master.
        _peer.OnAppendAnswered(new AppendEntriesResponse("i1", "log", AppliedIndex: 7, HeldBack: 0), lastSent: 5);

        Assert.Equal(5, _peer.AckedIndex);
        Assert.Equal(6, _peer.NextIndex);
        Assert.Equal(2, _barrier.AcksFor(5));
        Assert.Equal(1, _barrier.AcksFor(6));
    }

    [Fact]
    public void ASecondaryThatFailsASendStopsCountingUntilItAnswersAgain()
    {
        Answer(applied: 5);
        Assert.Equal(2, _barrier.AcksFor(3));

        _peer.OnSendFailed("connection refused");
        Assert.Equal(1, _barrier.AcksFor(3));
        Assert.False(_peer.Describe(5).AcksCounted);

        _peer.OnHeartbeatAnswered(Heartbeat("i1", applied: 5), _time.GetUtcNow());
        Assert.Equal(2, _barrier.AcksFor(3));
        Assert.Equal(5, _peer.AckedIndex);
    }

    [Fact]
    public void AMissedHeartbeatStopsTheSecondaryCountingUntilItAnswersAgain()
    {
        Answer(applied: 5);

        _peer.OnHeartbeatMissed("no answer within 100 ms");
        Assert.Equal(1, _barrier.AcksFor(1));

        _peer.OnHeartbeatAnswered(Heartbeat("i1", applied: 5), _time.GetUtcNow());
        Assert.Equal(2, _barrier.AcksFor(1));
    }

    [Fact]
    public void AHeartbeatAnsweredAfterAFailedSendWakesReplicationAtOnce()
    {
        Answer(applied: 5);
        _peer.OnHeartbeatAnswered(Heartbeat("i1", applied: 5), _time.GetUtcNow()); // Healthy
        _peer.TakeKick();

        _peer.OnSendFailed("injected drop");
        Assert.False(_peer.WhenKicked.IsCompleted);
        _peer.OnHeartbeatAnswered(Heartbeat("i1", applied: 5), _time.GetUtcNow());

        Assert.True(_peer.WhenKicked.IsCompleted, "replication was left waiting out its backoff");
    }

    [Fact]
    public void AHeartbeatAnsweredWhileARetryIsUnderWayLetsItFinish()
    {
        Answer(applied: 5);
        _peer.OnHeartbeatAnswered(Heartbeat("i1", applied: 5), _time.GetUtcNow());
        _peer.TakeKick();
        _peer.OnSendFailed("injected drop");
        _peer.OnSending(); // the backoff ran out: the retry is on the wire

        _peer.OnHeartbeatAnswered(Heartbeat("i1", applied: 5), _time.GetUtcNow());

        Assert.False(_peer.WhenKicked.IsCompleted, "a request under way was abandoned to start over");
    }

    [Fact]
    public void AHeartbeatOfAHealthySecondaryThatSendsFineDoesNotInterruptReplication()
    {
        Answer(applied: 5);
        _peer.OnHeartbeatAnswered(Heartbeat("i1", applied: 5), _time.GetUtcNow());
        _peer.TakeKick();

        _peer.OnHeartbeatAnswered(Heartbeat("i1", applied: 5), _time.GetUtcNow());

        Assert.False(_peer.WhenKicked.IsCompleted);
    }

    [Fact]
    public void AHeartbeatNeverRaisesWhatASecondaryIsCountedForAboveWhatItWasSent()
    {
        Answer(applied: 2);
        _peer.OnHeartbeatAnswered(Heartbeat("i1", applied: 9), _time.GetUtcNow());

        Assert.Equal(2, _peer.AckedIndex);
        Assert.Equal(1, _barrier.AcksFor(3));
    }

    [Fact]
    public void ARefusingSecondaryHoldsNothingOfThisLogAndHealthSaysSo()
    {
        Answer(applied: 5);

        Assert.True(_peer.OnRefused("it holds entries of another log"));
        Assert.False(_peer.OnRefused("it holds entries of another log")); // told once

        var described = _peer.Describe(masterLastIndex: 8);
        Assert.True(described.Refusing);
        Assert.Equal(0, described.AckedIndex);
        Assert.Equal(8, described.Lag);
        Assert.Equal(1, _barrier.AcksFor(1));
        Assert.Equal(1, _peer.NextIndex);
    }

    [Fact]
    public void ARemovedSecondaryNoLongerCountsAndItsLoopsAreTold()
    {
        Answer(applied: 5);

        _peer.Remove();
        _barrier.Acknowledge(_peer, 5); // a late answer

        Assert.Equal(1, _barrier.AcksFor(1));
        Assert.True(_peer.Removed.IsCancellationRequested);
    }

    [Fact]
    public void ANewInstanceWhoseLogMatchesIsTrustedWithAllItHolds()
    {
        // A restarted master meets a secondary that kept 1..40 of the same log.
        _peer.OnHeartbeatAnswered(Heartbeat("i1", applied: 40), _time.GetUtcNow(), logsMatch: true);

        Assert.Equal((40L, 41L), (_peer.AckedIndex, _peer.NextIndex));
        Assert.True(_peer.Describe(40).LogsMatch);
    }

    [Fact]
    public void ANewInstanceWhoseLogIsNotKnownToMatchIsTrustedOnlyWithWhatItAcknowledged()
    {
        _peer.OnHeartbeatAnswered(Heartbeat("i1", applied: 40), _time.GetUtcNow());
        Assert.Equal((0L, 1L), (_peer.AckedIndex, _peer.NextIndex));
    }

    [Fact]
    public void ALogThatDoesNotMatchIsResentFromTheStartOnceUntilItMatches()
    {
        Answer(applied: 5);
        _peer.TakeKick();

        _peer.OnHeartbeatAnswered(Heartbeat("i1", applied: 5), _time.GetUtcNow(), logsMatch: false);
        Assert.Equal((0L, 1L, true), (_peer.AckedIndex, _peer.NextIndex, _peer.IsRepairing));
        Assert.True(_peer.WhenKicked.IsCompleted);
        Assert.Contains("does not match", _peer.Describe(5).LastError, StringComparison.Ordinal);

        _peer.OnAppendAnswered(new AppendEntriesResponse("i1", "log", 5, 0), lastSent: 3); // the repair moves on
        _peer.OnHeartbeatAnswered(Heartbeat("i1", applied: 5), _time.GetUtcNow(), logsMatch: false);
        Assert.Equal(4, _peer.NextIndex); // not sent back to the start again

        _peer.OnHeartbeatAnswered(Heartbeat("i1", applied: 5), _time.GetUtcNow(), logsMatch: true);
        Assert.False(_peer.IsRepairing);
        Assert.Null(_peer.Describe(5).LastError);
    }

    private void Answer(long applied) =>
        _peer.OnAppendAnswered(new AppendEntriesResponse("i1", "log", applied, 0), lastSent: applied);

    private static HeartbeatResponse Heartbeat(string instance, long applied) => new(instance, "log", applied, 0, 0, false);
}
