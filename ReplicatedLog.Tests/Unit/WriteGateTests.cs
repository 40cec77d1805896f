using Microsoft.Extensions.Logging;
using ReplicatedLog.Master.Health;
using ReplicatedLog.Master.Replication;
using ReplicatedLog.Core.Contracts;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Unit;

/// <summary>The quorum gate as secondaries answer and miss heartbeats; statuses move through the peers themselves.</summary>
public sealed class WriteGateTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly LogCapture _log = new();
    private SecondaryRegistry _registry = null!;

    [Fact]
    public void SecondariesNeverHeardFromLeaveTheMasterReadOnly()
    {
        var gate = NewGate(secondaries: 2);

        Assert.Equal(0, gate.Reachable);
        Assert.False(gate.IsWritable);
    }

    [Fact]
    public void OneAnsweringSecondaryOfTwoMakesTheMasterWritable()
    {
        var gate = NewGate(secondaries: 2);

        Peer(1).AnswerHeartbeat(_time);

        Assert.Equal(1, gate.Reachable);
        Assert.True(gate.IsWritable);
    }

    [Fact]
    public void ASuspectedSecondaryStillCountsTowardQuorumButAnUnhealthyOneDoesNot()
    {
        var gate = NewGate(secondaries: 2);
        Peer(1).AnswerHeartbeat(_time);

        Peer(1).MissHeartbeats(1);
        Assert.Equal(SecondaryStatus.Suspected, Peer(1).Status);
        Assert.True(gate.IsWritable);

        Peer(1).MissHeartbeats(ScriptedRegistry.UnhealthyAfterMisses - 1);
        Assert.Equal(SecondaryStatus.Unhealthy, Peer(1).Status);
        Assert.False(gate.IsWritable);
    }

    [Fact]
    public void WithQuorumOffTheMasterIsWritableWithEverySecondaryDown()
    {
        var gate = NewGate(secondaries: 2, quorum: false);
        Peer(1).AnswerHeartbeat(_time);
        Peer(1).GoDown();

        Assert.True(gate.IsWritable);
        Assert.StartsWith("writable: quorum check is off", gate.Describe(), StringComparison.Ordinal);
        Assert.Empty(GateChanges());
    }

    [Fact]
    public void ASecondaryAddedAtRunTimeCountsTowardQuorum()
    {
        var gate = NewGate(secondaries: 1);
        Peer(1).AnswerHeartbeat(_time);
        Assert.True(gate.IsWritable);

        _registry.AddNumbered(2);
        var third = _registry.AddNumbered(3);
        Assert.False(gate.IsWritable);

        third.AnswerHeartbeat(_time);
        Assert.True(gate.IsWritable);
        Assert.Equal([LogLevel.Information, LogLevel.Error, LogLevel.Information], GateChanges());
    }

    [Fact]
    public void DescribeSaysHowManyNodesAreUpAndHowManyMakeAMajority()
    {
        var gate = NewGate(secondaries: 4);
        Peer(1).AnswerHeartbeat(_time);

        var readOnly = gate.Describe();
        Assert.StartsWith("read-only", readOnly, StringComparison.Ordinal);
        Assert.Contains("2 of 5 nodes up", readOnly, StringComparison.Ordinal);
        Assert.Contains("a majority is 3", readOnly, StringComparison.Ordinal);

        Peer(2).AnswerHeartbeat(_time);
        var writable = gate.Describe();
        Assert.StartsWith("writable", writable, StringComparison.Ordinal);
        Assert.Contains("3 of 5 nodes up", writable, StringComparison.Ordinal);
    }

    [Fact]
    public void EachChangeBetweenWritableAndReadOnlyIsLoggedOnce()
    {
        NewGate(secondaries: 2); // read-only from the start: nobody has answered
        Peer(1).AnswerHeartbeat(_time); // writable
        Peer(2).AnswerHeartbeat(_time);
        Peer(1).GoDown();
        Peer(2).MissHeartbeats(1);
        Peer(2).GoDown(); // read-only
        Peer(2).MissHeartbeats(5);
        Peer(1).AnswerHeartbeat(_time); // writable

        Assert.Equal([LogLevel.Information, LogLevel.Error, LogLevel.Information], GateChanges());
        var readOnly = _log.Entries.Single(e => e.Level == LogLevel.Error).Message;
        Assert.Contains("1 of 3 nodes up", readOnly, StringComparison.Ordinal);
    }

    [Fact]
    public void ASecondaryComingBackIsLoggedAsLoudlyAsItsWayDown()
    {
        NewGate(secondaries: 1);
        Peer(1).AnswerHeartbeat(_time);
        Peer(1).GoDown();
        Peer(1).AnswerHeartbeat(_time);

        var changes = _log.Entries.Where(e => e.Message.StartsWith("s1 is now", StringComparison.Ordinal)).ToList();
        Assert.Equal(["s1 is now Healthy", "s1 is now Suspected", "s1 is now Unhealthy", "s1 is now Healthy"],
            changes.Select(e => string.Join(' ', e.Message.Split(' ').Take(4))));
        Assert.All(changes, e => Assert.Equal(LogLevel.Warning, e.Level));
    }

    private WriteGate NewGate(int secondaries, bool quorum = true)
    {
        _registry = ScriptedRegistry.Create(_time, secondaries);
        return new WriteGate(_registry, new QuorumOptions { Enabled = quorum }, _log.For<WriteGate>());
    }

    private SecondaryPeer Peer(int number) => _registry.Peers[number - 1];

    /// <summary>The levels of the "Master is writable" / "Master turns read-only" lines, in order.</summary>
    private IEnumerable<LogLevel> GateChanges() =>
        _log.Entries.Where(e => e.Message.StartsWith("Master ", StringComparison.Ordinal)).Select(e => e.Level);
}
