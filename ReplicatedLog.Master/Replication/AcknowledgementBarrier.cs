namespace ReplicatedLog.Master.Replication;

/// <summary>
/// Releases appends once enough nodes hold them. Fed cumulative acknowledgements: the highest index a secondary has
/// applied, and, for the master as a member like the others (<see cref="Master"/>), the highest index durable on it.
/// An entry is held by every member whose acknowledged index is at or above it, and meets write concern w once w
/// members hold it, the master among them: secondaries may hold an entry before the master's fsync, but a write is
/// never acknowledged that a crash of the master could take back. A waiter waits for nothing but its own count, so
/// one waiting client never delays another.
/// </summary>
public sealed class AcknowledgementBarrier
{
    private readonly Lock _gate = new();
    private readonly Dictionary<object, long> _acked = [];
    private readonly List<Waiter> _waiters = [];

    public AcknowledgementBarrier() => _acked[Master] = 0;

    /// <summary>The master as a member: it holds an entry once the entry is durable on it. Fed by the master's log.</summary>
    public object Master { get; } = new MasterMember();

    /// <summary>Starts counting a secondary (with nothing acknowledged yet).</summary>
    public void AddMember(object member)
    {
        lock (_gate)
        {
            _acked.TryAdd(member, 0);
        }
    }

    /// <summary>Stops counting a secondary that left the cluster.</summary>
    public void RemoveMember(object member)
    {
        lock (_gate)
        {
            _acked.Remove(member);
        }
    }

    /// <summary>How many nodes, the master included, hold <paramref name="index"/>.</summary>
    public int AcksFor(long index)
    {
        lock (_gate)
        {
            return CountHolding(index);
        }
    }

    /// <summary>
    /// Records that <paramref name="member"/> has applied everything up to <paramref name="index"/>. The value may go
    /// down (a secondary that restarted empty no longer holds what it held).
    /// </summary>
    public void Acknowledge(object member, long index)
    {
        List<(TaskCompletionSource<int> Done, int Acks)>? released = null;
        lock (_gate)
        {
            if (!_acked.ContainsKey(member))
            {
                return; // removed from the cluster: a late answer counts for nothing
            }

            _acked[member] = index;
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                var waiter = _waiters[i];
                var acks = CountHolding(waiter.Index);
                if (Meets(waiter.Index, acks, waiter.Required))
                {
                    (released ??= []).Add((waiter.Done, acks));
                    _waiters.RemoveAt(i);
                }
            }
        }

        if (released is not null)
        {
            foreach (var (done, acks) in released)
            {
                done.TrySetResult(acks);
            }
        }
    }

    /// <summary>
    /// Completes with the number of nodes holding <paramref name="index"/> once it is at least
    /// <paramref name="required"/> and the master is one of them. Cancelling stops the wait only; the entry goes on
    /// replicating.
    /// </summary>
    public Task<int> WaitAsync(long index, int required, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_gate)
        {
            var acks = CountHolding(index);
            if (Meets(index, acks, required))
            {
                return Task.FromResult(acks);
            }

            waiter = new Waiter(index, required, new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously));
            _waiters.Add(waiter);
        }

        if (!cancellationToken.CanBeCanceled)
        {
            return waiter.Done.Task;
        }

        return WaitOrCancelAsync(waiter, cancellationToken);
    }

    /// <summary>How many waits are pending (for health and tests).</summary>
    public int PendingWaits
    {
        get
        {
            lock (_gate)
            {
                return _waiters.Count;
            }
        }
    }

    private async Task<int> WaitOrCancelAsync(Waiter waiter, CancellationToken cancellationToken)
    {
        try
        {
            return await waiter.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            lock (_gate)
            {
                _waiters.Remove(waiter);
            }

            throw;
        }
    }

    private bool Meets(long index, int acks, int required) => acks >= required && _acked[Master] >= index;

    private int CountHolding(long index)
    {
        var count = 0;
        foreach (var acked in _acked.Values)
        {
            if (acked >= index)
            {
                count++;
            }
        }

        return count;
    }

    private sealed class MasterMember
    {
        public override string ToString() => "master";
    }

    private sealed record Waiter(long Index, int Required, TaskCompletionSource<int> Done);
}
