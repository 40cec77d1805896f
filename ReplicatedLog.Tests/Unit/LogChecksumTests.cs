using ReplicatedLog.Core.Contracts;
using ReplicatedLog.Core.Log;
using ReplicatedLog.Master.Replication;
using ReplicatedLog.Secondary.Storage;

namespace ReplicatedLog.Tests.Unit;

/// <summary>The running checksum by which the master tells whether a secondary's log matches its own.</summary>
public sealed class LogChecksumTests
{
    [Fact]
    public void TheMasterAndASecondaryHoldingTheSameEntriesHaveTheSameChecksumAtEveryIndex()
    {
        var master = new MasterLog();
        var replica = new ReplicaLog(100);
        foreach (var message in new[] { "a", "b", "ünïcödé", new string('x', 5000) })
        {
            master.Append(message, null);
        }

        replica.Apply(new AppendEntriesRequest(master.LogId, master.Read(1, 10)));

        Assert.All(Enumerable.Range(0, 5), i => Assert.Equal(master.ChecksumAt(i), replica.ChecksumAt(i)));
        Assert.Null(master.ChecksumAt(5));
    }

    [Fact]
    public void OneDifferentEntryChangesTheChecksumFromItsIndexOn()
    {
        var ours = new RunningChecksums();
        var theirs = new RunningChecksums();
        ours.Append([new LogEntry(1, "a"), new LogEntry(2, "b"), new LogEntry(3, "c")]);
        theirs.Append([new LogEntry(1, "a"), new LogEntry(2, "B"), new LogEntry(3, "c")]);

        Assert.Equal(ours.At(1), theirs.At(1));
        Assert.NotEqual(ours.At(2), theirs.At(2));
        Assert.NotEqual(ours.At(3), theirs.At(3));
    }

    [Fact]
    public void ATruncatedLogThatTakesTheSameEntriesAgainHasTheSameChecksums()
    {
        var checksums = new RunningChecksums();
        checksums.Append([new LogEntry(1, "a"), new LogEntry(2, "planted")]);
        checksums.TruncateFrom(2);
        checksums.Append([new LogEntry(2, "b")]);

        var clean = new RunningChecksums();
        clean.Append([new LogEntry(1, "a"), new LogEntry(2, "b")]);
        Assert.Equal(clean.At(2), checksums.At(2));
    }
}
