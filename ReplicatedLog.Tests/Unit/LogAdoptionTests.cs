using Microsoft.Extensions.Logging;
using ReplicatedLog.Core.Contracts;
using ReplicatedLog.Core.Log;
using ReplicatedLog.Core.Storage;
using ReplicatedLog.Master.Health;
using ReplicatedLog.Master.Replication;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Unit;

/// <summary>A master that started without a log takes its secondaries' log before it takes appends.</summary>
public sealed class LogAdoptionTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly Dictionary<string, HoldingSecondary> _secondaries = [];
    private readonly LogCapture _capture = new();
    private SecondaryRegistry _registry = null!;

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    [InlineData(5, 3)]
    [InlineData(6, 4)]
    public void EnoughSecondariesMustAnswerThatEveryMajorityWriteIsOnOneOfThem(int secondaries, int needed)
    {
        Assert.Equal(needed, LogAdoption.Needed(secondaries));

        // Check the rule itself: a w=majority write is on M-1 secondaries; any `needed` of them meet every such set.
        var onSecondaries = QuorumRule.Majority(secondaries) - 1;
        Assert.True(secondaries == 0 || needed + onSecondaries > secondaries);
        Assert.False(needed > 1 && (needed - 1) + onSecondaries > secondaries, "one fewer would do: the rule asks too much");
    }

    [Fact]
    public async Task ItWaitsWhileTooFewAnswerThenTakesTheMostAdvancedLogWithItsId()
    {
        var (log, adoption, gate) = NewMaster(("secondary-1", Holding("log-a", 5)), ("secondary-2", Holding("log-a", 8)));
        _secondaries["secondary-1"].Generation = 7;
        _secondaries["secondary-2"].Down = true;

        Assert.False(await adoption.RoundAsync(CancellationToken.None));
        Assert.Equal(AdoptionState.Waiting, adoption.State);
        Assert.False(log.IsStarted);
        Assert.False(gate.IsWritable);
        Assert.Contains("secondary-2", gate.Describe(), StringComparison.Ordinal);
        Assert.Contains("1 of the 2", gate.Describe(), StringComparison.Ordinal);

        _secondaries["secondary-2"].Down = false;
        Assert.True(await adoption.RoundAsync(CancellationToken.None));

        Assert.Equal(AdoptionState.Adopted, adoption.State);
        Assert.True(gate.IsWritable);
        Assert.Equal("log-a", log.LogId);
        Assert.Equal(_secondaries["secondary-2"].Entries.Select(e => e.Message), log.Messages());
        Assert.Equal(9, log.Append("next", null).Index);
        // A run the secondaries take for a new one (they ignore runs older than the newest they followed), whose
        // base is what it adopted: nothing a secondary holds up to there is dropped.
        Assert.Equal((8L, 8L), (log.Generation, log.Base));
        Assert.Contains(_capture.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("adopted log log-a from secondary-2: 8 entries", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SecondariesThatHoldNothingLetItStartANewLog()
    {
        var (log, adoption, gate) = NewMaster(("secondary-1", Holding(null, 0)), ("secondary-2", Holding(null, 0)));

        Assert.True(await adoption.RoundAsync(CancellationToken.None));

        Assert.Equal(AdoptionState.StartedNew, adoption.State);
        Assert.True(log.IsStarted);
        Assert.NotEmpty(log.LogId);
        Assert.True(gate.IsWritable);
        Assert.Equal(1, log.Append("first", null).Index);
    }

    [Fact]
    public async Task ALogThatDoesNotMatchTheChecksumItsSecondaryReportedIsNotAdopted()
    {
        var liar = Holding("log-a", 6);
        liar.ReportedChecksum = LogChecksum.Format(12345);
        var (log, adoption, gate) = NewMaster(("secondary-1", liar));

        Assert.False(await adoption.RoundAsync(CancellationToken.None));

        Assert.False(log.IsStarted);
        Assert.Equal(0, log.LastIndex);
        Assert.False(gate.IsWritable);
        Assert.Contains("do not match its running checksum", adoption.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALogPulledInManyPagesArrivesWhole()
    {
        var (log, adoption, _) = NewMaster(("secondary-1", Holding("log-b", LogAdoption.PageSize * 2 + 17)));

        Assert.True(await adoption.RoundAsync(CancellationToken.None));

        Assert.Equal(LogAdoption.PageSize * 2 + 17, log.LastIndex);
        Assert.Equal(_secondaries["secondary-1"].Entries.Select(e => e.Message), log.Messages());
    }

    [Fact]
    public void AMasterThatStartedWithItsOwnLogHasNothingToAdopt()
    {
        var store = new InMemoryLogStore();
        store.SetLogId("mine");
        var (log, adoption, gate) = NewMaster(store, ("secondary-1", Holding("log-a", 3)));

        Assert.Equal(AdoptionState.NotNeeded, adoption.State);
        Assert.Equal("mine", log.LogId);
        Assert.False(adoption.IsPending);
        Assert.True(adoption.FirstRound.IsCompleted);
        Assert.DoesNotContain("adopt", gate.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMasterThatKnowsNoSecondaryWaitsForRegistrationsThenStartsANewLog()
    {
        var time = new ManualTimeProvider();
        var (log, adoption, gate) = NewMaster(new InMemoryLogStore(), time, TimeSpan.FromSeconds(15));

        var run = adoption.RunAsync(CancellationToken.None);
        await adoption.FirstRound.WaitAsync(Deadline);

        Assert.Equal(AdoptionState.Waiting, adoption.State);
        Assert.False(gate.IsWritable);
        Assert.Contains("waits 15 s", gate.Describe(), StringComparison.Ordinal);
        Assert.Contains("none has registered yet", gate.Describe(), StringComparison.Ordinal);
        time.Advance(TimeSpan.FromSeconds(14.9));
        Assert.False(run.IsCompleted, adoption.Detail);
        Assert.False(log.IsStarted);

        time.Advance(TimeSpan.FromSeconds(0.1));
        await run.WaitAsync(Deadline);

        Assert.Equal(AdoptionState.StartedNew, adoption.State);
        Assert.Contains("none registered within 15 s", adoption.Detail, StringComparison.Ordinal);
        Assert.True(gate.IsWritable);
        Assert.Equal(1, log.Append("first", null).Index);
    }

    [Fact]
    public async Task ASecondaryThatRegistersWhileTheMasterWaitsHasItsLogAdoptedWhenTheWaitEnds()
    {
        var time = new ManualTimeProvider();
        var (log, adoption, gate) = NewMaster(new InMemoryLogStore(), time, TimeSpan.FromSeconds(15));
        var run = adoption.RunAsync(CancellationToken.None);
        await adoption.FirstRound.WaitAsync(Deadline);

        Register("secondary-1", Holding("log-a", 4));
        Assert.Contains("registered so far: secondary-1", adoption.Detail, StringComparison.Ordinal);
        // Registering does not end the wait: another secondary of the lost cluster may hold more.
        Assert.False(run.IsCompleted, adoption.Detail);
        Register("secondary-2", Holding("log-a", 6));

        time.Advance(TimeSpan.FromSeconds(15));
        await run.WaitAsync(Deadline);

        Assert.Equal(AdoptionState.Adopted, adoption.State);
        Assert.Equal("log-a", log.LogId);
        Assert.Equal(_secondaries["secondary-2"].Entries.Select(e => e.Message), log.Messages());
        Assert.True(gate.IsWritable);
    }

    [Fact]
    public async Task AMasterThatKnowsASecondaryAsksItAtOnceWithoutWaitingForRegistrations()
    {
        var (log, adoption, _) = NewMaster(new InMemoryLogStore(), new ManualTimeProvider(), TimeSpan.FromSeconds(15),
            ("secondary-1", Holding("log-a", 3)));

        await adoption.RunAsync(CancellationToken.None).WaitAsync(Deadline);

        Assert.Equal((AdoptionState.Adopted, "log-a"), (adoption.State, log.LogId));
    }

    private static HoldingSecondary Holding(string? logId, int entries) =>
        new(logId, [.. Enumerable.Range(1, entries).Select(i => new LogEntry(i, $"{logId}-{i}"))]);

    private (MasterLog Log, LogAdoption Adoption, WriteGate Gate) NewMaster(params (string Name, HoldingSecondary Secondary)[] secondaries) =>
        NewMaster(new InMemoryLogStore(), secondaries);

    private (MasterLog Log, LogAdoption Adoption, WriteGate Gate) NewMaster(
        ILogStore store, params (string Name, HoldingSecondary Secondary)[] secondaries) =>
        NewMaster(store, TimeProvider.System, TimeSpan.Zero, secondaries);

    /// <param name="registrationWait">How long the master waits for registrations when it knows no secondary.</param>
    private (MasterLog Log, LogAdoption Adoption, WriteGate Gate) NewMaster(
        ILogStore store, TimeProvider time, TimeSpan registrationWait, params (string Name, HoldingSecondary Secondary)[] secondaries)
    {
        var barrier = new AcknowledgementBarrier();
        var health = new HealthOptions();
        var log = new MasterLog(barrier, store, adoptWhenEmpty: true);
        _registry = new SecondaryRegistry(barrier, health, address => _secondaries[address.Host]);
        foreach (var (name, secondary) in secondaries)
        {
            Register(name, secondary);
        }

        var adoption = new LogAdoption(log, _registry, health, time, _capture.For<LogAdoption>(), registrationWait);
        var gate = new WriteGate(_registry, new QuorumOptions(), _capture.For<WriteGate>(), adoption);
        return (log, adoption, gate);
    }

    /// <summary>Adds <paramref name="secondary"/> to the master's registry as <paramref name="name"/>, answering.</summary>
    private void Register(string name, HoldingSecondary secondary)
    {
        _secondaries[name] = secondary;
        var peer = _registry.AddOrUpdate(name, new Uri($"http://{name}/"), registered: true).Peer;
        peer.OnHeartbeatAnswered(new HeartbeatResponse("i", null, 0, 0, 0, false), DateTimeOffset.UnixEpoch);
    }

    /// <summary>A secondary holding a log: answers heartbeats with what it holds and its checksum, serves pages.</summary>
    private sealed class HoldingSecondary(string? logId, List<LogEntry> entries) : ISecondaryClient
    {
        public Uri Address { get; set; } = new("http://holding/");

        public List<LogEntry> Entries => entries;

        public bool Down { get; set; }

        public string? ReportedChecksum { get; set; }

        public long Generation { get; set; }

        public Task<AppendEntriesResponse> AppendAsync(AppendEntriesRequest request, CancellationToken cancellationToken) =>
            throw new NotSupportedException("Adoption sends no entries.");

        public Task<HeartbeatResponse> HeartbeatAsync(HeartbeatRequest request, CancellationToken cancellationToken)
        {
            Assert.Equal("", request.LogId); // naming no log, so that no secondary refuses the master that asks
            if (Down)
            {
                throw new SecondaryUnavailableException("connection refused");
            }

            var checksum = entries.Aggregate(LogChecksum.Empty, LogChecksum.Next);
            return Task.FromResult(new HeartbeatResponse("i", logId, entries.Count, 0, 0, false,
                ReportedChecksum ?? LogChecksum.Format(checksum), Generation));
        }

        public Task<LogPage> ReadAsync(long from, int limit, CancellationToken cancellationToken) =>
            Task.FromResult(new LogPage(logId, entries.Count, [.. entries.Skip((int)from - 1).Take(limit)]));
    }
}
