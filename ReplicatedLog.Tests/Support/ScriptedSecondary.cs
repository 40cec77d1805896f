using ReplicatedLog.Master.Replication;
using ReplicatedLog.Core.Contracts;

namespace ReplicatedLog.Tests.Support;

/// <summary>
/// A fake secondary for the replication loop: it applies contiguous entries and acknowledges cumulatively like a
/// real one, fails the calls it is told to fail, and can "restart" empty. Every call is recorded with the fake
/// clock's time.
/// </summary>
public sealed class ScriptedSecondary(TimeProvider time) : ISecondaryClient
{
    private readonly Lock _gate = new();
    private readonly List<(DateTimeOffset At, long First, long Last)> _calls = [];
    private readonly List<AppendEntriesRequest> _requests = [];
    private readonly List<HeartbeatRequest> _heartbeats = [];
    private long _applied;
    private int _failuresLeft;
    private Func<Exception> _failure = () => new SecondaryUnavailableException("scripted failure");
    private string _instance = "instance-1";

    public Uri Address { get; set; } = new("http://scripted/");

    public IReadOnlyList<(DateTimeOffset At, long First, long Last)> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>Every replication request received, in order.</summary>
    public IReadOnlyList<AppendEntriesRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Every heartbeat received, in order.</summary>
    public IReadOnlyList<HeartbeatRequest> Heartbeats
    {
        get
        {
            lock (_gate)
            {
                return [.. _heartbeats];
            }
        }
    }

    /// <summary>The generation of the master its heartbeats say it has followed.</summary>
    public long FollowedGeneration { get; set; }

    public long Applied
    {
        get
        {
            lock (_gate)
            {
                return _applied;
            }
        }
    }

    /// <summary>When true, it refuses this log as a secondary holding another log does: appends 409, heartbeats say so.</summary>
    public bool RefuseLog { get; set; }

    public string Instance
    {
        get
        {
            lock (_gate)
            {
                return _instance;
            }
        }
    }

    /// <summary>The next <paramref name="calls"/> replication requests fail, with <paramref name="failure"/> (by default: unreachable).</summary>
    public void FailNext(int calls, Func<Exception>? failure = null)
    {
        lock (_gate)
        {
            _failuresLeft = calls;
            _failure = failure ?? _failure;
        }
    }

    /// <summary>Holds 1..<paramref name="index"/> already, as a secondary that kept its log does.</summary>
    public void Hold(long index)
    {
        lock (_gate)
        {
            _applied = index;
        }
    }

    /// <summary>Comes back empty, as a restarted secondary does.</summary>
    public void Restart()
    {
        lock (_gate)
        {
            _applied = 0;
            _instance = $"instance-{Guid.NewGuid():N}";
        }
    }

    public Task<AppendEntriesResponse> AppendAsync(AppendEntriesRequest request, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _calls.Add((time.GetUtcNow(), request.Entries[0].Index, request.Entries[^1].Index));
            _requests.Add(request);
            if (_failuresLeft > 0)
            {
                _failuresLeft--;
                throw _failure();
            }

            if (RefuseLog)
            {
                throw new LogRefusedException("scripted refusal: it holds entries of another log");
            }

            if (request.Entries[0].Index <= _applied + 1)
            {
                _applied = Math.Max(_applied, request.Entries[^1].Index);
            }

            return Task.FromResult(new AppendEntriesResponse(_instance, request.LogId, _applied, 0));
        }
    }

    public Task<HeartbeatResponse> HeartbeatAsync(HeartbeatRequest request, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _heartbeats.Add(request);
            return Task.FromResult(RefuseLog
                ? new HeartbeatResponse(_instance, "another-log", _applied, 0, 0, LogIdMismatch: true)
                : new HeartbeatResponse(_instance, request.LogId, _applied, 0, 0, false, Generation: FollowedGeneration));
        }
    }

    public Task<LogPage> ReadAsync(long from, int limit, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The scripted secondary holds no entries to read.");
}
