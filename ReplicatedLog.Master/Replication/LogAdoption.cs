using System.Globalization;
using Microsoft.Extensions.Logging;
using ReplicatedLog.Core.Contracts;
using ReplicatedLog.Core.Log;
using ReplicatedLog.Master.Health;

namespace ReplicatedLog.Master.Replication;

/// <summary>What a master that started without a log is doing about it, for <c>/health</c> and the write gate.</summary>
public enum AdoptionState
{
    /// <summary>The master started with its own log: nothing to adopt.</summary>
    NotNeeded,

    /// <summary>Read-only: waiting until enough secondaries answer to know which log holds every acknowledged write.</summary>
    Waiting,

    /// <summary>Read-only: taking the entries of the most advanced secondary.</summary>
    Pulling,

    /// <summary>The master took over its secondaries' log and is writable.</summary>
    Adopted,

    /// <summary>The secondaries that answered hold nothing either: the master started a new log.</summary>
    StartedNew,
}

/// <summary>
/// A master started on an empty data directory does not start a new log that its secondaries, holding the old one,
/// would refuse forever. Before it takes appends it asks its secondaries what they hold (a heartbeat that names no
/// log, so none refuses it) until enough of them answered that every write acknowledged with w=majority or more is on
/// at least one: such a write is on M−1 secondaries (M the majority of 1+N nodes), so N−M+2 of the N secondaries must
/// answer. It then takes the log of the most advanced of them (page by page through <c>GET /log</c>), checks it
/// against that secondary's running checksum, makes it durable and only then becomes writable under that log's id.
/// When the answering secondaries hold nothing, it starts a new log. Writes acknowledged with a smaller w may be lost
/// with the master's disk, and so are the idempotency keys (secondaries do not hold them).
/// A master that knows no secondary at all (none configured, none in its member file, which went with the disk) cannot
/// tell a new cluster from one whose secondaries have yet to register again: it first waits
/// <see cref="ReplicationOptions.AdoptionWaitMs"/> for registrations, then asks those that came. N is the number of
/// secondaries known when it decides, and a secondary that registers while it waits for answers raises N and what
/// it needs: more answers, never fewer. One that registers only after the decision is not heard.
/// </summary>
public sealed partial class LogAdoption
{
    /// <summary>Entries per page pulled from the secondary (the most <c>GET /log</c> serves).</summary>
    public const int PageSize = 10_000;

    private readonly MasterLog _log;
    private readonly SecondaryRegistry _registry;
    private readonly HealthOptions _health;
    private readonly TimeProvider _time;
    private readonly ILogger<LogAdoption> _logger;
    private readonly TimeSpan _registrationWait;
    private readonly Dictionary<string, HeartbeatResponse> _answers = [];
    private readonly Dictionary<string, string> _silent = [];
    private readonly TaskCompletionSource _firstRound = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private string _detail;

    /// <param name="registrationWait">How long to wait for registrations when no secondary is known; zero for none.</param>
    public LogAdoption(
        MasterLog log, SecondaryRegistry registry, HealthOptions health, TimeProvider time, ILogger<LogAdoption> logger,
        TimeSpan registrationWait = default)
    {
        _registrationWait = registrationWait;
        _log = log;
        _registry = registry;
        _health = health;
        _time = time;
        _logger = logger;
        State = log.IsStarted ? AdoptionState.NotNeeded : AdoptionState.Waiting;
        _detail = log.IsStarted ? "this master started with its own log" : "this master started without a log; it asks its secondaries for theirs";
        if (log.IsStarted)
        {
            _firstRound.TrySetResult();
        }
    }

    /// <summary>Raised when the log is started (adopted or new): the master may become writable.</summary>
    public event Action? Completed;

    public AdoptionState State { get; private set; }

    /// <summary>True while the master has no log yet and must take no appends.</summary>
    public bool IsPending => State is AdoptionState.Waiting or AdoptionState.Pulling;

    /// <summary>What adoption did or waits for, in words.</summary>
    public string Detail
    {
        get
        {
            lock (_gate)
            {
                return _detail;
            }
        }
    }

    /// <summary>Completes after the first round of asking (or at once when there is nothing to adopt).</summary>
    public Task FirstRound => _firstRound.Task;

    /// <summary>
    /// How many of <paramref name="secondaries"/> must answer before the master may adopt: N−M+2, at most N.
    /// </summary>
    public static int Needed(int secondaries) =>
        secondaries == 0 ? 0 : Math.Min(secondaries, secondaries - QuorumRule.Majority(secondaries) + 2);

    /// <summary>Asks the secondaries every heartbeat interval until the log is started.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            if (!_log.IsStarted && _registry.Count == 0 && _registrationWait > TimeSpan.Zero)
            {
                await WaitForRegistrationsAsync(stopping).ConfigureAwait(false);
            }

            while (!await RoundAsync(stopping).ConfigureAwait(false))
            {
                _firstRound.TrySetResult();
                await Task.Delay(_health.Interval, _time, stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping before the log was found: nothing is started, the next start asks again.
        }
        finally
        {
            _firstRound.TrySetResult();
        }
    }

    /// <summary>
    /// Read-only for <see cref="_registrationWait"/>, taking registrations (and saying which came in
    /// <see cref="Detail"/>), while the master answers reads and <c>/health</c>.
    /// </summary>
    private async Task WaitForRegistrationsAsync(CancellationToken stopping)
    {
        var until = _time.GetUtcNow() + _registrationWait;
        var seconds = _registrationWait.TotalSeconds;
        void Describe(SecondaryPeer? _ = null)
        {
            var registered = _registry.Peers;
            Set(AdoptionState.Waiting, string.Create(CultureInfo.InvariantCulture,
                $"read-only: this master started without a log and knows no secondaries; it waits {seconds:0.#} s (until {until:HH:mm:ss} UTC, Replication:AdoptionWaitMs) for secondaries to register, then adopts the log they hold, or starts a new one if none registered")
                + (registered.Count == 0 ? "; none has registered yet" : $"; registered so far: {string.Join(", ", registered.Select(p => p.Name))}"));
        }

        Describe();
        LogWaitingForRegistrations(_logger, seconds);
        _registry.Added += Describe;
        _firstRound.TrySetResult();
        try
        {
            await Task.Delay(_registrationWait, _time, stopping).ConfigureAwait(false);
        }
        finally
        {
            _registry.Added -= Describe;
        }
    }

    /// <summary>One round: ask every secondary, and adopt if enough answered. Returns whether the log is started.</summary>
    internal async Task<bool> RoundAsync(CancellationToken stopping)
    {
        if (_log.IsStarted)
        {
            return true;
        }

        try
        {
            await AskAsync(stopping).ConfigureAwait(false);
            return await TryAdoptAsync(stopping).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SecondaryUnavailableException or InvalidDataException)
        {
            // The secondary went away or answered something that is not its log: start the pull over.
            _log.DiscardAdopted();
            Set(AdoptionState.Waiting, $"read-only: taking the secondaries' log failed ({ex.Message}); asking them again");
            LogPullFailed(_logger, ex.Message);
            return false;
        }
    }

    /// <summary>One heartbeat to every secondary, naming no log; the answers (and who did not answer) are kept.</summary>
    private async Task AskAsync(CancellationToken stopping)
    {
        var peers = _registry.Peers;
        var asked = peers.Select(async peer =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            timeout.CancelAfter(_health.Timeout);
            try
            {
                var answer = await peer.Client.HeartbeatAsync(new HeartbeatRequest("", 0), timeout.Token).ConfigureAwait(false);
                return (peer.Name, Answer: answer, Error: (string?)null);
            }
            catch (Exception ex) when (ex is SecondaryUnavailableException or LogRefusedException
                || (ex is OperationCanceledException && !stopping.IsCancellationRequested))
            {
                return (peer.Name, Answer: (HeartbeatResponse?)null,
                    Error: ex is OperationCanceledException ? $"no answer within {_health.Timeout.TotalMilliseconds:0} ms" : ex.Message);
            }
        });
        var results = await Task.WhenAll(asked).ConfigureAwait(false);
        lock (_gate)
        {
            var members = peers.Select(p => p.Name).ToHashSet();
            foreach (var gone in _answers.Keys.Where(name => !members.Contains(name)).ToList())
            {
                _answers.Remove(gone);
            }

            _silent.Clear();
            foreach (var (name, answer, error) in results)
            {
                if (answer is not null)
                {
                    _answers[name] = answer;
                }
                else if (!_answers.ContainsKey(name))
                {
                    // An earlier answer still says what it holds: no master has fed it since.
                    _silent[name] = error!;
                }
            }
        }
    }

    private async Task<bool> TryAdoptAsync(CancellationToken stopping)
    {
        var secondaries = _registry.Count;
        var needed = Needed(secondaries);
        List<(string Name, HeartbeatResponse Answer)> answered;
        string waiting;
        lock (_gate)
        {
            answered = [.. _answers.Select(a => (a.Key, a.Value))];
            waiting = string.Join(", ", _silent.Select(s => $"{s.Key} ({s.Value})"));
        }

        if (answered.Count < needed)
        {
            if (Set(AdoptionState.Waiting,
                $"read-only: this master started without a log and adopts its secondaries' log first: heard from {answered.Count} of the {needed} of {secondaries} secondaries it needs{Holding(answered)}; waiting for {waiting}"))
            {
                LogWaiting(_logger, answered.Count, needed, secondaries, waiting);
            }

            return false;
        }

        var source = answered
            .Where(a => !string.IsNullOrEmpty(a.Answer.LogId))
            .OrderByDescending(a => a.Answer.AppliedIndex)
            .FirstOrDefault();
        // The secondaries ignore a master run older than the newest they followed: this one goes past it.
        var followed = answered.Select(a => a.Answer.Generation).DefaultIfEmpty(0).Max();
        if (source.Answer is null)
        {
            await _log.StartAsync(null, stopping, followed).ConfigureAwait(false);
            var reason = secondaries > 0 ? $"the {answered.Count} secondaries that answered (of {secondaries}) hold none"
                : _registrationWait > TimeSpan.Zero
                    ? string.Create(CultureInfo.InvariantCulture, $"no secondary is configured, and none registered within {_registrationWait.TotalSeconds:0.#} s")
                : "this master has no secondaries";
            Set(AdoptionState.StartedNew, $"started a new log {_log.LogId}: {reason}");
            LogStartedNew(_logger, _log.LogId, reason);
            Completed?.Invoke();
            return true;
        }

        await PullAsync(source.Name, source.Answer, stopping).ConfigureAwait(false);
        await _log.StartAsync(source.Answer.LogId, stopping, followed).ConfigureAwait(false);
        var others = answered.Where(a => a.Name != source.Name && a.Answer.LogId is { Length: > 0 } id && id != source.Answer.LogId)
            .Select(a => a.Name).ToList();
        Set(AdoptionState.Adopted,
            $"adopted log {_log.LogId} from {source.Name}: {_log.LastIndex} entries (heard from {answered.Count} of {secondaries} secondaries; idempotency keys before the restart are not known)"
            + (others.Count > 0 ? $"; {string.Join(", ", others)} hold another log and will refuse this one" : ""));
        LogAdopted(_logger, _log.LogId, source.Name, _log.LastIndex, answered.Count, secondaries);
        Completed?.Invoke();
        return true;
    }

    /// <summary>Takes entries 1..what the secondary reported from it, then checks them against its running checksum.</summary>
    private async Task PullAsync(string name, HeartbeatResponse answer, CancellationToken stopping)
    {
        var peer = _registry.Peers.FirstOrDefault(p => p.Name == name)
            ?? throw new SecondaryUnavailableException($"{name} left the cluster");
        _log.DiscardAdopted();
        var target = answer.AppliedIndex;
        while (_log.LastIndex < target)
        {
            Set(AdoptionState.Pulling, $"read-only: taking log {answer.LogId} from {name}: {_log.LastIndex} of {target} entries");
            var page = await peer.Client.ReadAsync(_log.LastIndex + 1, (int)Math.Min(PageSize, target - _log.LastIndex), stopping)
                .ConfigureAwait(false);
            if (page.LogId != answer.LogId || page.Entries.Count == 0)
            {
                throw new InvalidDataException(
                    $"{name} answered {page.Entries.Count} entries of log {page.LogId} from {_log.LastIndex + 1}; it had said it holds {target} of log {answer.LogId}");
            }

            _log.AppendAdopted(page.Entries.Count <= target - _log.LastIndex ? page.Entries : [.. page.Entries.Take((int)(target - _log.LastIndex))]);
        }

        var ours = LogChecksum.Format(_log.ChecksumAt(target) ?? LogChecksum.Empty);
        if (answer.Checksum is { } theirs && theirs != ours)
        {
            throw new InvalidDataException($"the entries taken from {name} do not match its running checksum at {target} ({ours}, it said {theirs})");
        }
    }

    private static string Holding(List<(string Name, HeartbeatResponse Answer)> answered) =>
        answered.Count == 0 ? "" : " (" + string.Join(", ", answered.Select(a =>
            string.IsNullOrEmpty(a.Answer.LogId)
                ? $"{a.Name} holds nothing"
                : string.Create(CultureInfo.InvariantCulture, $"{a.Name} holds {a.Answer.AppliedIndex} entries of log {a.Answer.LogId}"))) + ")";

    /// <summary>Returns whether the state or its words changed (worth a line in the log).</summary>
    private bool Set(AdoptionState state, string detail)
    {
        lock (_gate)
        {
            var changed = State != state || _detail != detail;
            State = state;
            _detail = detail;
            return changed;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Read-only until the log is adopted: heard from {Answered} of the {Needed} of {Secondaries} secondaries needed; waiting for {Waiting}")]
    private static partial void LogWaiting(ILogger logger, int answered, int needed, int secondaries, string waiting);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "This master started without a log and adopted log {LogId} from {Source}: {Entries} entries (heard from {Answered} of {Secondaries} secondaries)")]
    private static partial void LogAdopted(ILogger logger, string logId, string source, long entries, int answered, int secondaries);

    [LoggerMessage(Level = LogLevel.Information, Message = "Started a new log {LogId}: {Reason}")]
    private static partial void LogStartedNew(ILogger logger, string logId, string reason);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Read-only: this master started without a log and knows no secondaries; it waits {Seconds} s for secondaries to register before it starts a new log")]
    private static partial void LogWaitingForRegistrations(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Taking the secondaries' log failed, asking again: {Reason}")]
    private static partial void LogPullFailed(ILogger logger, string reason);
}
