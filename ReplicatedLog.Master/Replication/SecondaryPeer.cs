using ReplicatedLog.Master.Health;
using ReplicatedLog.ServiceDefaults.Contracts;

namespace ReplicatedLog.Master.Replication;

/// <summary>
/// The master's view of one secondary: what it has acknowledged, where replication to it goes on from, and its
/// health. Fed by its replication loop (acknowledgements) and its heartbeat loop (health, restarts).
/// </summary>
public sealed class SecondaryPeer
{
    private readonly Lock _gate = new();
    private readonly AcknowledgementBarrier _barrier;
    private readonly HeartbeatHealth _health;
    private string? _instanceId;
    private long _acked;
    private long _next = 1;
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

    public long AckedIndex => Volatile.Read(ref _acked);

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

    /// <summary>The artificial delay the secondary reports, added to each attempt's timeout.</summary>
    public TimeSpan ReportedDelay { get; private set; }

    public DateTimeOffset? LastHeartbeat { get; private set; }

    public string? LastError { get; private set; }

    /// <summary>The answer to a replication request: authoritative, since requests to a peer go one at a time.</summary>
    public void OnAppendAnswered(AppendEntriesResponse response)
    {
        lock (_gate)
        {
            _instanceId = response.InstanceId;
            _next = response.AppliedIndex + 1;
            Volatile.Write(ref _acked, response.AppliedIndex);
        }

        _barrier.Acknowledge(this, response.AppliedIndex);
    }

    /// <summary>
    /// A heartbeat was answered. A new instance id means the secondary restarted: what it acknowledged before is
    /// gone, so replication rewinds to what it holds now. Returns whether replication was rewound.
    /// </summary>
    public bool OnHeartbeatAnswered(HeartbeatResponse response, DateTimeOffset at)
    {
        SecondaryStatus before, after;
        bool rewound;
        lock (_gate)
        {
            LastHeartbeat = at;
            LastError = null;
            ReportedDelay = TimeSpan.FromMilliseconds(Math.Max(0, response.DelayMs));
            rewound = _instanceId != response.InstanceId;
            if (rewound)
            {
                _instanceId = response.InstanceId;
                _next = response.AppliedIndex + 1;
                Volatile.Write(ref _acked, response.AppliedIndex);
            }
            else if (response.AppliedIndex > _acked)
            {
                Volatile.Write(ref _acked, response.AppliedIndex);
            }

            before = _health.Answered();
            after = _health.Status;
        }

        _barrier.Acknowledge(this, AckedIndex);
        if (rewound || before != SecondaryStatus.Healthy)
        {
            // Replication may be waiting out a long backoff or sending to a stream that no longer exists: go now.
            Kick();
        }

        Notify(before, after);
        return rewound;
    }

    /// <summary>A heartbeat was not answered (or answered with a refusal, given as <paramref name="error"/>).</summary>
    public void OnHeartbeatMissed(string error)
    {
        SecondaryStatus before, after;
        lock (_gate)
        {
            LastError = error;
            before = _health.Missed();
            after = _health.Status;
        }

        Notify(before, after);
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
                Math.Max(0, masterLastIndex - _acked), LastHeartbeat, _health.Misses, LastError);
        }
    }

    private void Notify(SecondaryStatus before, SecondaryStatus after)
    {
        if (before != after)
        {
            StatusChanged?.Invoke(this, before, after);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
