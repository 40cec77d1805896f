using ReplicatedLog.Core.Contracts;
using ReplicatedLog.Core.Log;
using ReplicatedLog.Secondary.Storage;

namespace ReplicatedLog.Tests.Unit;

/// <summary>
/// How a secondary's log follows the runs of the master: older runs are ignored, a newer one drops the suffix its
/// predecessor lost, and a batch must continue the log it lands on.
/// </summary>
public sealed class ReplicaLogGenerationTests
{
    private readonly ReplicaLog _log = new(maxHeldBack: 100);

    /// <summary>Entries <paramref name="from"/> to <paramref name="to"/> made by <paramref name="generation"/>.</summary>
    private static LogEntry[] Entries(long from, long to, long generation, string prefix = "m") =>
        [.. Enumerable.Range((int)from, (int)(to - from + 1)).Select(i => new LogEntry(i, $"{prefix}{i}", generation))];

    /// <summary>A batch from master run <paramref name="generation"/>, which started from <paramref name="base"/>, continuing <paramref name="continues"/>.</summary>
    private static AppendEntriesRequest Batch(long generation, long @base, LogEntry[] entries, ReplicaLog continues) =>
        new("log", entries, generation, @base, LogChecksum.Format(continues.ChecksumAt(entries[0].Index - 1)!.Value));

    [Fact]
    public void ARequestFromAnOlderGenerationThanTheNewestFollowedIsIgnored()
    {
        _log.Apply(Batch(2, 0, Entries(1, 2, 2), _log));

        var stale = _log.Apply(Batch(1, 0, Entries(3, 4, 1), _log));

        Assert.True(stale.Stale);
        Assert.Equal((2L, 0, 2L), (stale.AppliedIndex, stale.Applied, _log.Generation));
        Assert.Equal(["m1", "m2"], _log.Messages());
    }

    [Fact]
    public void TheFirstRequestOfANewerGenerationDropsWhatIsHeldAfterItsBaseAndWhatIsHeldBack()
    {
        _log.Apply(Batch(1, 0, Entries(1, 5, 1), _log));
        _log.Apply(new AppendEntriesRequest("log", Entries(7, 7, 1), 1)); // held back behind a gap at 6
        var newer = Batch(2, 3, Entries(4, 4, 2, "new"), _log);

        var outcome = _log.Apply(newer);

        Assert.Equal((4L, 2, 0, 2L), (outcome.AppliedIndex, outcome.Dropped, outcome.HeldBack, _log.Generation));
        Assert.Equal(["m1", "m2", "m3", "new4"], _log.Messages());
        Assert.Equal([1L, 1L, 1L, 2L], _log.Read(1, 10).Select(e => e.Generation));
    }

    [Fact]
    public void AHeartbeatOfANewerGenerationDropsTheLostSuffixOnceWithNothingToSend()
    {
        _log.Apply(Batch(1, 0, Entries(1, 5, 1), _log));

        Assert.Equal(0, _log.Follow("another-log", 2, 3));
        Assert.Equal(2, _log.Follow("log", 2, 3));
        Assert.Equal(0, _log.Follow("log", 2, 3));

        Assert.Equal(["m1", "m2", "m3"], _log.Messages());
        Assert.Equal((3L, 2L), _log.DurableTip() is var (index, _) ? (index, _log.Generation) : default);
    }

    [Fact]
    public void AnEntryWithTheSameTextFromAnotherGenerationReplacesTheOneHeldAndThoseAfterIt()
    {
        // Entries 2 and 3 were made by run 1, lost by the master, made again with the same text by run 2, which
        // this secondary missed; run 3 (base 3) sends them.
        _log.Apply(Batch(1, 0, Entries(1, 3, 1), _log));

        var outcome = _log.Apply(Batch(3, 3, Entries(2, 3, 2), _log));

        Assert.Equal((3L, 2, 0), (outcome.AppliedIndex, outcome.Replaced, outcome.Duplicates));
        Assert.Equal(["m1", "m2", "m3"], _log.Messages());
        Assert.Equal([1L, 2L, 2L], _log.Read(1, 10).Select(e => e.Generation));
    }

    [Fact]
    public void TheSameEntryFromTheSameGenerationIsADuplicate()
    {
        _log.Apply(Batch(1, 0, Entries(1, 3, 1), _log));

        var outcome = _log.Apply(Batch(1, 0, Entries(2, 3, 1), _log));

        Assert.Equal((3L, 0, 2), (outcome.AppliedIndex, outcome.Replaced, outcome.Duplicates));
    }

    [Fact]
    public void ABatchThatDoesNotContinueTheLogIsNotAppliedAndAnsweredWithNothingSoTheMasterResendsFromTheStart()
    {
        _log.Apply(Batch(1, 0, Entries(1, 3, 1, "other"), _log));
        var master = new ReplicaLog(100);
        master.Apply(Batch(1, 0, Entries(1, 3, 1), master));

        var diverged = _log.Apply(Batch(1, 0, Entries(4, 4, 1), master));

        Assert.True(diverged.Diverged);
        Assert.Equal((0L, 0), (diverged.AppliedIndex, diverged.Applied));
        Assert.Equal(["other1", "other2", "other3"], _log.Messages());

        var repaired = _log.Apply(Batch(1, 0, Entries(1, 4, 1), master));
        Assert.Equal((4L, 3), (repaired.AppliedIndex, repaired.Replaced));
        Assert.Equal(master.ChecksumAt(3), _log.ChecksumAt(3));
    }

    [Fact]
    public void ABatchAheadOfAGapIsHeldBackThoughItsPreviousEntryCannotBeChecked()
    {
        _log.Apply(Batch(1, 0, Entries(1, 2, 1), _log));
        var master = new ReplicaLog(100);
        master.Apply(Batch(1, 0, Entries(1, 4, 1), master));

        var ahead = _log.Apply(Batch(1, 0, Entries(5, 5, 1), master));
        Assert.Equal((2L, 1, false), (ahead.AppliedIndex, ahead.HeldBack, ahead.Diverged));

        var filled = _log.Apply(Batch(1, 0, Entries(3, 4, 1), master));
        Assert.Equal(5L, filled.AppliedIndex);
    }
}
