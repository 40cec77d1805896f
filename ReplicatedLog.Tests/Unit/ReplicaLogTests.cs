using ReplicatedLog.Core.Contracts;
using ReplicatedLog.Core.Log;
using ReplicatedLog.Secondary.Storage;

namespace ReplicatedLog.Tests.Unit;

public sealed class ReplicaLogTests
{
    private static LogEntry E(long i) => new(i, $"m{i}");

    /// <summary>A request that says nothing of generations (0) or of the entry it continues, as the first versions sent.</summary>
    private static AppendEntriesRequest Batch(string logId, LogEntry[] entries) => new(logId, entries);

    [Fact]
    public void AnEntryAfterAGapIsHeldBackUntilTheGapIsFilled()
    {
        var log = new ReplicaLog(maxHeldBack: 100);
        var outcome = log.Apply(Batch("log", [E(1), E(2), E(4)]));
        Assert.Equal(2, outcome.AppliedIndex);
        Assert.Equal(1, outcome.HeldBack);
        Assert.Equal(["m1", "m2"], log.Messages());

        outcome = log.Apply(Batch("log", [E(3)]));
        Assert.Equal(4, outcome.AppliedIndex);
        Assert.Equal(0, outcome.HeldBack);
        Assert.Equal(["m1", "m2", "m3", "m4"], log.Messages());
    }

    [Fact]
    public void AHeldBackEntryNeverWinsOverWhatTheMasterSendsForItsIndex()
    {
        var log = new ReplicaLog(100);
        log.Apply(Batch("log", [new LogEntry(2, "planted")]));
        log.Apply(Batch("log", [E(1)])); // fills the gap: the planted entry is applied for now

        var outcome = log.Apply(Batch("log", [E(2), E(3)]));

        Assert.Equal(["m1", "m2", "m3"], log.Messages());
        Assert.Equal(3, outcome.AppliedIndex);
        Assert.Equal(1, outcome.Replaced);
        Assert.Equal(0, outcome.Duplicates);
    }

    [Fact]
    public void AnEntryTheMasterSendsAgainWithTheSameTextIsADuplicate()
    {
        var log = new ReplicaLog(100);
        log.Apply(Batch("log", [E(1), E(2), E(3)]));

        var outcome = log.Apply(Batch("log", [E(2), E(3)]));

        Assert.Equal(2, outcome.Duplicates);
        Assert.Equal(0, outcome.Replaced);
        Assert.Equal(["m1", "m2", "m3"], log.Messages());
    }

    [Fact]
    public void OutOfOrderArrivalAppliesInIndexOrder()
    {
        var log = new ReplicaLog(100);
        log.Apply(Batch("log", [E(5), E(3)]));
        log.Apply(Batch("log", [E(4), E(2)]));
        Assert.Empty(log.Messages());
        log.Apply(Batch("log", [E(1)]));
        Assert.Equal(["m1", "m2", "m3", "m4", "m5"], log.Messages());
    }

    [Fact]
    public void DuplicatesAreIgnoredAndAcknowledgedAgain()
    {
        var log = new ReplicaLog(100);
        log.Apply(Batch("log", [E(1), E(2)]));
        var outcome = log.Apply(Batch("log", [E(1), E(2), E(3)]));
        Assert.Equal(3, outcome.AppliedIndex);
        Assert.Equal(2, outcome.Duplicates);
        Assert.Equal(["m1", "m2", "m3"], log.Messages());

        var again = log.Apply(Batch("log", [E(2)]));
        Assert.Equal(3, again.AppliedIndex);
        Assert.Equal(0, again.Applied);
    }

    [Fact]
    public void EntriesOfAnotherLogAreRefusedOnceEntriesAreHeld()
    {
        var log = new ReplicaLog(100);
        Assert.False(log.Apply(Batch("first", [E(1)])).LogIdMismatch);
        var refused = log.Apply(Batch("second", [E(2)]));
        Assert.True(refused.LogIdMismatch);
        Assert.Equal(["m1"], log.Messages());
        Assert.Equal("first", log.LogId);
        Assert.True(log.Conflicts("second"));
    }

    [Fact]
    public void AnEmptyReplicaTakesTheLogIdItIsGiven()
    {
        var log = new ReplicaLog(100);
        log.Apply(Batch("first", []));
        Assert.False(log.Apply(Batch("second", [E(1)])).LogIdMismatch);
        Assert.Equal("second", log.LogId);
    }

    [Fact]
    public void HeldBackEntriesBeyondTheLimitAreDroppedForTheMasterToResend()
    {
        var log = new ReplicaLog(maxHeldBack: 2);
        var outcome = log.Apply(Batch("log", [E(3), E(4), E(5)]));
        Assert.Equal(2, outcome.HeldBack);
        outcome = log.Apply(Batch("log", [E(1), E(2)]));
        Assert.Equal(4, outcome.AppliedIndex);
    }
}
