using ReplicatedLog.Master.Health;
using ReplicatedLog.Core.Contracts;

namespace ReplicatedLog.Master.Replication;

/// <summary>
/// The master's view of one secondary: what it has acknowledged, where replication to it goes on from, and its
/// health. Fed by its replication loop (acknowledgements, failed sends) and its heartbeat loop (health, restarts,
/// refusals). What it tells the acknowledgement barrier is only what is true now: the entries this secondary
/// confirmed holding, and nothing while it fails to answer or refuses this log.
/// </summary>
public sealed class SecondaryPeer
{
    private readonly Lock _gate = new();
    private readonly AcknowledgementBarrier _barrier;
    private readonly HeartbeatHealth _health;
    private readonly CancellationTokenSource _removed = new();
    private string? _instanceId;
    private long _acked;
    private long _next = 1;
    private bool _answering;
    private bool _refusing;
    private bool _backingOff;
    private bool? _logsMatch;
    private bool _repairing;
    private TaskCompletionSource _kicked = NewSignal();
    private CancellationTokenSource? _attempt;

    public SecondaryPeer(string name, ISecondaryClient client, AcknowledgementBarrier barrier, int unhealthyAfterMisses)
    {
        Name = name;
        Client = client;
        _barrier = barrier;
        _health = new HeartbeatHealth(unhealthyAfterMisses);
        barrier.AddMember(this);
    }

    /// <summary>Raised after the status changed, with the status before and after.</summary>
    public event Action<SecondaryPeer, SecondaryStatus, SecondaryStatus>? StatusChanged;

    public string Name { get; }

    public ISecondaryClient Client { get; }

    /// <summary>True for a secondary that joined by registering (kept in the master's member file), false for a configured one.</summary>
    public bool Registered { get; init; }

    /// <summary>The highest index this secondary confirmed holding (0 while it refuses this log).</summary>
    public long AckedIndex => Volatile.Read(ref _acked);

    /// <summary>How many of the master's entries up to <paramref name="masterLastIndex"/> this secondary has not confirmed.</summary>
    public long LagBehind(long masterLastIndex) => Math.Max(0, masterLastIndex - AckedIndex);

    /// <summary>Cancelled when the secondary is removed from the cluster: its loops end.</summary>
    public CancellationToken Removed => _removed.Token;

    /// <summary>The first index the next replication request carries.</summary>
    public long NextIndex
    {
        get
        {
            lock (_gate)
            {
                return _next;
            }
        }
    }

    public SecondaryStatus Status
    {
        get
        {
            lock (_gate)
            {
                return _health.Status;
            }
        }
    }

    /// <summary>True while the secondary holds entries of another log and refuses this one.</summary>
    public bool IsRefusing
    {
        get
        {
            lock (_gate)
            {
                return _refusing;
            }
        }
    }

    /// <summary>
    /// True once the secondary has answered (a heartbeat first): until then the master does not know what it holds,
    /// and replication waits rather than send it what it may already have.
    /// </summary>
    public bool HasAnswered
    {
        get
        {
            lock (_gate)
            {
                return _instanceId is not null;
            }
        }
    }

    /// <summary>True while replication resends the log from the start to repair a secondary whose log did not match.</summary>
    public bool IsRepairing
    {
        get
        {
            lock (_gate)
            {
                return _repairing;
            }
        }
    }

    /// <summary>The artificial delay the secondary reports, added to each attempt's timeout.</summary>
    public TimeSpan ReportedDelay { get; private set; }

    public DateTimeOffset? LastHeartbeat { get; private set; }

    public string? LastError { get; private set; }

    /// <summary>
    /// The answer to a replication request that carried entries up to <paramref name="lastSent"/>: authoritative,
    /// since requests to a peer go one at a time. The secondary may report more than it was sent (entries it held
    /// back and applied when the gap filled); only what this request carried, and what came before, is known to be
    /// the master's entries, so the acknowledgement stops at <paramref name="lastSent"/> and replication goes on
    /// from there: what the master sends for an index is what the secondary keeps.
    /// </summary>
    public void OnAppendAnswered(AppendEntriesResponse response, long lastSent)
    {
        lock (_gate)
        {
            _instanceId = response.InstanceId;
            _answering = true;
            _refusing = false;
            _backingOff = false;
            var confirmed = Math.Min(response.AppliedIndex, lastSent);
            _next = confirmed + 1;
            Volatile.Write(ref _acked, confirmed);
            ReportToBarrier();
        }
    }

    /// <summary>
    /// A replication request failed (refused connection, timeout, 5xx) and replication now waits out its backoff:
    /// the secondary's acknowledgements stop counting until it answers again.
    /// </summary>
    public void OnSendFailed(string error)
    {
        lock (_gate)
        {
            LastError = error;
            _answering = false;
            _backingOff = true;
            ReportToBarrier();
        }
    }

    /// <summary>A replication request is being sent (the first, or a retry after the backoff).</summary>
    public void OnSending()
    {
        lock (_gate)
        {
            _backingOff = false;
        }
    }

    /// <summary>
    /// A heartbeat was answered. A new instance id means the secondary restarted: what it acknowledged before is
    /// gone, so replication rewinds to what it holds now. An answer while replication waits out a backoff after a
    /// failed send, or after a refusal, starts replication again at once. Returns whether replication was rewound.
    /// </summary>
    /// <param name="logsMatch">
    /// Whether the secondary's log matches the master's up to what it holds (by the running checksum), or null when
    /// unknown. A new instance whose log matches is trusted with all it holds (no resend); a log that does not match
    /// is resent from the first entry, which repairs it (the secondary replaces what differs).
    /// </param>
    public bool OnHeartbeatAnswered(HeartbeatResponse response, DateTimeOffset at, bool? logsMatch = null)
    {
        SecondaryStatus before, after;
        bool rewound, wake, repair = false;
        lock (_gate)
        {
            LastHeartbeat = at;
            LastError = _repairing ? LastError : null;
            ReportedDelay = TimeSpan.FromMilliseconds(Math.Max(0, response.DelayMs));
            rewound = _instanceId != response.InstanceId;
            _logsMatch = logsMatch;
            if (rewound)
            {
                _instanceId = response.InstanceId;
                var holds = logsMatch == true ? response.AppliedIndex : Math.Min(response.AppliedIndex, _acked);
                _next = holds + 1;
                Volatile.Write(ref _acked, holds);
            }

            if (logsMatch == false && !_repairing)
            {
                LastError = $"its log does not match this one up to index {response.AppliedIndex}: resending from the first entry to repair it";
                _repairing = true;
                repair = true;
                _next = 1;
                Volatile.Write(ref _acked, 0);
            }
            else if (logsMatch == true && _repairing)
            {
                _repairing = false;
                LastError = null;
            }

            // Only a backoff is cut short: a request already under way is left to finish.
            wake = rewound || repair || _backingOff || _refusing;
            _answering = true;
            _refusing = false;
            before = _health.Answered();
            after = _health.Status;
            ReportToBarrier();
        }

        if (wake || before != SecondaryStatus.Healthy)
        {
            // Replication may be waiting out a long backoff or sending to a stream that no longer exists: go now.
            Kick();
        }

        Notify(before, after);
        return rewound;
    }

    /// <summary>A heartbeat was not answered: <paramref name="error"/> says how.</summary>
    public void OnHeartbeatMissed(string error)
    {
        SecondaryStatus before, after;
        lock (_gate)
        {
            LastError = error;
            _answering = false;
            before = _health.Missed();
            after = _health.Status;
            ReportToBarrier();
        }

        Notify(before, after);
    }

    /// <summary>
    /// The secondary holds entries of another log and refuses this one: it holds none of this log's entries, so
    /// nothing it acknowledged counts, and replication to it waits until it answers as a member of this log again.
    /// Counts as a missed heartbeat. Returns true when it was not refusing before (a change worth telling).
    /// </summary>
    public bool OnRefused(string reason)
    {
        SecondaryStatus before, after;
        bool changed;
        lock (_gate)
        {
            changed = !_refusing;
            _refusing = true;
            _answering = false;
            LastError = reason;
            _next = 1;
            Volatile.Write(ref _acked, 0);
            before = _health.Missed();
            after = _health.Status;
            ReportToBarrier();
        }

        Notify(before, after);
        return changed;
    }

    public int MissedHeartbeats
    {
        get
        {
            lock (_gate)
            {
                return _health.Misses;
            }
        }
    }

    /// <summary>
    /// Takes the secondary out of the cluster: its loops end, it no longer counts toward any write, and its client
    /// lets go of what it holds open (the replication stream).
    /// </summary>
    public void Remove()
    {
        _barrier.RemoveMember(this);
        _removed.Cancel();
        (Client as IDisposable)?.Dispose();
    }

    /// <summary>Starts one replication attempt that <see cref="Kick"/> can interrupt.</summary>
    public CancellationTokenSource BeginAttempt(CancellationToken stopping)
    {
        var attempt = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        lock (_gate)
        {
            _attempt = attempt;
        }

        return attempt;
    }

    public void EndAttempt(CancellationTokenSource attempt)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_attempt, attempt))
            {
                _attempt = null;
            }
        }

        attempt.Dispose();
    }

    /// <summary>Completes when <see cref="Kick"/> is called after the last <see cref="TakeKick"/>.</summary>
    public Task WhenKicked
    {
        get
        {
            lock (_gate)
            {
                return _kicked.Task;
            }
        }
    }

    /// <summary>Clears a pending kick: the replication loop is about to look at the state afresh.</summary>
    public void TakeKick()
    {
        lock (_gate)
        {
            if (_kicked.Task.IsCompleted)
            {
                _kicked = NewSignal();
            }
        }
    }

    /// <summary>Wakes the replication loop: abandon the attempt under way (and its backoff) and start over.</summary>
    public void Kick()
    {
        CancellationTokenSource? attempt;
        TaskCompletionSource kicked;
        lock (_gate)
        {
            attempt = _attempt;
            _attempt = null;
            kicked = _kicked;
        }

        kicked.TrySetResult();
        try
        {
            attempt?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The attempt ended on its own in the meantime.
        }
    }

    public SecondaryHealthDto Describe(long masterLastIndex)
    {
        lock (_gate)
        {
            return new SecondaryHealthDto(Name, Client.Address.ToString(), _health.Status, _acked,
                LagBehind(masterLastIndex), LastHeartbeat, _health.Misses, LastError, _refusing, AcksCounted: _answering, LogsMatch: _logsMatch);
        }
    }

    /// <summary>Under the lock, so the barrier sees this peer's changes in the order they happen.</summary>
    private void ReportToBarrier() => _barrier.Acknowledge(this, _answering ? _acked : 0);

    private void Notify(SecondaryStatus before, SecondaryStatus after)
    {
        if (before != after)
        {
            StatusChanged?.Invoke(this, before, after);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
