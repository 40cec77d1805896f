using ReplicatedLog.Core.Log;
using ReplicatedLog.Core.Storage;

namespace ReplicatedLog.Tests.Support;

/// <summary>
/// A store whose entries become durable only when the test says so, as on a disk whose fsync has not returned yet,
/// and which can crash, losing what was not durable, as a machine that loses power does. Everything else is the
/// in-memory store's (generations, the log id and keys are durable at once).
/// </summary>
public sealed class SlowDiskStore : ILogStore
{
    private readonly InMemoryLogStore _inner = new();
    private readonly Lock _gate = new();
    private readonly List<(long Index, TaskCompletionSource Done)> _waiters = [];
    private long _durable;
    private bool _fsyncAtOnce;

    public event Action<long>? DurableIndexChanged;

    public string? LogId => _inner.LogId;

    public long LastIndex => _inner.LastIndex;

    public long DurableIndex => Volatile.Read(ref _durable);

    public long Generation => _inner.Generation;

    /// <summary>The fsync returns: everything up to <paramref name="index"/> is durable.</summary>
    public void MakeDurable(long index)
    {
        List<TaskCompletionSource> done;
        lock (_gate)
        {
            Volatile.Write(ref _durable, Math.Min(index, _inner.LastIndex));
            done = [.. _waiters.Where(w => w.Index <= _durable).Select(w => w.Done)];
            _waiters.RemoveAll(w => w.Index <= _durable);
        }

        done.ForEach(d => d.TrySetResult());
        DurableIndexChanged?.Invoke(DurableIndex);
    }

    /// <summary>From now on (and for what is written already) the disk is fast: every append is durable at once.</summary>
    public void FsyncAtOnce()
    {
        lock (_gate)
        {
            _fsyncAtOnce = true;
        }

        MakeDurable(LastIndex);
    }

    /// <summary>From now on appends stay not durable until <see cref="MakeDurable"/>.</summary>
    public void HoldFsync()
    {
        lock (_gate)
        {
            _fsyncAtOnce = false;
        }
    }

    /// <summary>
    /// The machine loses power: what was not durable is gone, and so is the process that listened to the store (its
    /// subscribers are forgotten; a store reopened after the crash is this one).
    /// </summary>
    public void Crash()
    {
        lock (_gate)
        {
            DurableIndexChanged = null;
            _inner.TruncateFrom(_durable + 1);
        }
    }

    public void SetLogId(string logId) => _inner.SetLogId(logId);

    public void SetGeneration(long generation) => _inner.SetGeneration(generation);

    public void Append(IReadOnlyList<LogEntry> entries)
    {
        _inner.Append(entries);
        bool atOnce;
        lock (_gate)
        {
            atOnce = _fsyncAtOnce;
        }

        if (atOnce)
        {
            MakeDurable(LastIndex);
        }
    }

    public Task WhenDurableAsync(long index, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (index <= _durable)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((index, done));
            return done.Task.WaitAsync(cancellationToken);
        }
    }

    public IReadOnlyList<LogEntry> Read(long from, int maxCount, long maxBytes = long.MaxValue) => _inner.Read(from, maxCount, maxBytes);

    public void TruncateFrom(long index)
    {
        lock (_gate)
        {
            _inner.TruncateFrom(index);
            Volatile.Write(ref _durable, Math.Min(_durable, index - 1));
        }
    }

    public long? IndexOfKey(string key) => _inner.IndexOfKey(key);

    public ulong? ChecksumAt(long index) => _inner.ChecksumAt(index);

    public void RecordKey(string key, long index) => _inner.RecordKey(key, index);

    public void Dispose() => _inner.Dispose();
}
