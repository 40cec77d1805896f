using ReplicatedLog.Master.Replication;

namespace ReplicatedLog.Tests.Unit;

public sealed class AcknowledgementBarrierTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task TheMasterCountsForAnEntryOnlyOnceItIsDurableOnIt()
    {
        var barrier = new AcknowledgementBarrier();
        barrier.Acknowledge(barrier.Master, 3);

        var wait = barrier.WaitAsync(5, 1, CancellationToken.None);
        Assert.Equal(1, barrier.AcksFor(3));
        Assert.False(wait.IsCompleted, "w=1 was met before the entry was durable on the master");

        barrier.Acknowledge(barrier.Master, 5);
        Assert.Equal(1, await wait.WaitAsync(Deadline));
    }

    [Fact]
    public async Task SecondariesHoldingAnEntryBeforeTheMastersFsyncMeetNoWriteConcernUntilItIsDurableOnTheMaster()
    {
        var barrier = new AcknowledgementBarrier();
        barrier.AddMember("s1");
        barrier.AddMember("s2");
        barrier.Acknowledge("s1", 4);
        barrier.Acknowledge("s2", 4);
        var w1 = barrier.WaitAsync(4, 1, CancellationToken.None);
        var w2 = barrier.WaitAsync(4, 2, CancellationToken.None);

        Assert.Equal(2, barrier.AcksFor(4));
        Assert.False(w1.IsCompleted, "w=1 was met by secondaries alone");
        Assert.False(w2.IsCompleted, "w=2 was met by secondaries alone");

        barrier.Acknowledge(barrier.Master, 4);
        Assert.Equal((3, 3), (await w1.WaitAsync(Deadline), await w2.WaitAsync(Deadline)));
        Assert.Equal(3, await barrier.WaitAsync(4, 3, CancellationToken.None).WaitAsync(Deadline));
    }

    [Fact]
    public async Task W1IsMetByTheMasterAlone()
    {
        var barrier = MasterHoldingEverything();
        barrier.AddMember("s1");
        var wait = barrier.WaitAsync(1, 1, CancellationToken.None);
        Assert.True(wait.IsCompletedSuccessfully);
        Assert.Equal(1, await wait);
    }

    [Fact]
    public async Task AWaitCompletesOnlyWhenEnoughSecondariesAcknowledge()
    {
        var barrier = MasterHoldingEverything();
        barrier.AddMember("s1");
        barrier.AddMember("s2");
        var wait = barrier.WaitAsync(5, 3, CancellationToken.None);
        barrier.Acknowledge("s1", 5);
        Assert.False(wait.IsCompleted);
        barrier.Acknowledge("s2", 5);
        Assert.Equal(3, await wait.WaitAsync(Deadline));
    }

    [Fact]
    public async Task SurplusAcknowledgementsAreCountedInTheAnswer()
    {
        var barrier = MasterHoldingEverything();
        barrier.AddMember("s1");
        barrier.AddMember("s2");
        barrier.Acknowledge("s1", 3);
        barrier.Acknowledge("s2", 3);
        Assert.Equal(3, await barrier.WaitAsync(2, 2, CancellationToken.None).WaitAsync(Deadline));
    }

    [Fact]
    public async Task AHigherCumulativeAckCoversEveryLowerIndex()
    {
        var barrier = MasterHoldingEverything();
        barrier.AddMember("s1");
        var waits = Enumerable.Range(1, 5).Select(i => barrier.WaitAsync(i, 2, CancellationToken.None)).ToList();
        barrier.Acknowledge("s1", 5);
        Assert.All(await Task.WhenAll(waits).WaitAsync(Deadline), acks => Assert.Equal(2, acks));
    }

    [Fact]
    public async Task AnAckBelowTheIndexReleasesNothing()
    {
        var barrier = MasterHoldingEverything();
        barrier.AddMember("s1");
        var wait = barrier.WaitAsync(4, 2, CancellationToken.None);
        barrier.Acknowledge("s1", 3);
        Assert.False(wait.IsCompleted);
        barrier.Acknowledge("s1", 4);
        await wait.WaitAsync(Deadline);
    }

    [Fact]
    public async Task CancellingAWaitRemovesItWithoutTouchingOthers()
    {
        var barrier = MasterHoldingEverything();
        barrier.AddMember("s1");
        using var cancel = new CancellationTokenSource();
        var cancelled = barrier.WaitAsync(1, 2, cancel.Token);
        var other = barrier.WaitAsync(1, 2, CancellationToken.None);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal(1, barrier.PendingWaits);
        barrier.Acknowledge("s1", 1);
        Assert.Equal(2, await other.WaitAsync(Deadline));
        Assert.Equal(0, barrier.PendingWaits);
    }

    [Fact]
    public void ARestartedSecondaryNoLongerCountsForWhatItLost()
    {
        var barrier = MasterHoldingEverything();
        barrier.AddMember("s1");
        barrier.Acknowledge("s1", 10);
        Assert.Equal(2, barrier.AcksFor(10));
        barrier.Acknowledge("s1", 0);
        Assert.Equal(1, barrier.AcksFor(10));
    }

    /// <summary>A barrier whose master holds every entry, as an in-memory master does: the secondaries are what is tested.</summary>
    private static AcknowledgementBarrier MasterHoldingEverything()
    {
        var barrier = new AcknowledgementBarrier();
        barrier.Acknowledge(barrier.Master, long.MaxValue);
        return barrier;
    }
}
