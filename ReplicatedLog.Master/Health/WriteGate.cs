using Microsoft.Extensions.Logging;
using ReplicatedLog.Master.Replication;
using ReplicatedLog.Core.Contracts;

namespace ReplicatedLog.Master.Health;

/// <summary>
/// Decides whether the master takes appends: with quorum on, only while the master and its Healthy or Suspected
/// secondaries are a majority of 1+N; never while the master adopts its secondaries' log. Tells every change between
/// writable and read-only in the log.
/// </summary>
public sealed partial class WriteGate
{
    private readonly SecondaryRegistry _registry;
    private readonly LogAdoption? _adoption;
    private readonly bool _enabled;
    private readonly ILogger<WriteGate> _logger;
    private readonly Lock _gate = new();
    private bool _wasWritable = true;

    public WriteGate(SecondaryRegistry registry, QuorumOptions options, ILogger<WriteGate> logger, LogAdoption? adoption = null)
    {
        _registry = registry;
        _adoption = adoption;
        _enabled = options.Enabled;
        _logger = logger;
        registry.Added += peer =>
        {
            peer.StatusChanged += OnStatusChanged;
            Recheck();
        };
        registry.Removed += peer =>
        {
            peer.StatusChanged -= OnStatusChanged;
            Recheck();
        };
        foreach (var peer in registry.Peers)
        {
            peer.StatusChanged += OnStatusChanged;
        }

        if (adoption is not null)
        {
            adoption.Completed += Recheck;
        }

        _wasWritable = IsWritable;
    }

    public bool QuorumEnabled => _enabled;

    /// <summary>Secondaries that count toward quorum: Healthy or Suspected.</summary>
    public int Reachable
    {
        get
        {
            // Asked on every append: a loop over the list, no enumerator or delegate.
            var peers = _registry.Peers;
            var reachable = 0;
            for (var i = 0; i < peers.Count; i++)
            {
                if (peers[i].Status != SecondaryStatus.Unhealthy)
                {
                    reachable++;
                }
            }

            return reachable;
        }
    }

    public bool IsWritable => _adoption?.IsPending != true && (!_enabled || QuorumRule.IsMet(Reachable, _registry.Count));

    /// <summary>Why the master is (not) writable, in words.</summary>
    public string Describe()
    {
        var n = _registry.Count;
        var up = 1 + Reachable;
        var needed = QuorumRule.Majority(n);
        if (_adoption is { IsPending: true } adoption)
        {
            return adoption.Detail;
        }

        if (!_enabled)
        {
            return $"writable: quorum check is off ({up} of {1 + n} nodes up)";
        }

        return IsWritable
            ? $"writable: {up} of {1 + n} nodes up, a majority is {needed}"
            : $"read-only: only {up} of {1 + n} nodes up (the master and its Healthy or Suspected secondaries), a majority is {needed}";
    }

    private void OnStatusChanged(SecondaryPeer peer, SecondaryStatus before, SecondaryStatus after)
    {
        if (after == SecondaryStatus.Healthy)
        {
            LogRecovered(_logger, peer.Name, before);
        }
        else
        {
            LogStatusChanged(_logger, peer.Name, before, after, peer.LastError ?? "no answer");
        }

        Recheck();
    }

    private void Recheck()
    {
        lock (_gate)
        {
            var writable = IsWritable;
            if (writable == _wasWritable)
            {
                return;
            }

            _wasWritable = writable;
            if (writable)
            {
                LogWritable(_logger, Describe());
            }
            else
            {
                LogReadOnly(_logger, Describe());
            }
        }
    }

    // As loud as the way down, so a reader of the warnings sees each secondary come back too.
    [LoggerMessage(Level = LogLevel.Warning, Message = "{Secondary} is now Healthy (was {Before}): its heartbeat was answered")]
    private static partial void LogRecovered(ILogger logger, string secondary, SecondaryStatus before);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Secondary} is now {After} (was {Before}): {Reason}")]
    private static partial void LogStatusChanged(
        ILogger logger, string secondary, SecondaryStatus before, SecondaryStatus after, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Master turns read-only, appends are refused: {Reason}")]
    private static partial void LogReadOnly(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Master is writable: {Reason}")]
    private static partial void LogWritable(ILogger logger, string reason);
}
