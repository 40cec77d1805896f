using ReplicatedLog.Core.Log;
using ReplicatedLog.Core.Storage;

namespace ReplicatedLog.Tests.Support;

/// <summary>
/// A store whose entries become durable only when the test says so, as on a disk whose fsync has not returned yet.
/// Everything else is the in-memory store's.
/// </summary>
public sealed class SlowDiskStore : ILogStore
{
    private readonly InMemoryLogStore _inner = new();
    private readonly Lock _gate = new();
    private readonly List<(long Index, TaskCompletionSource Done)> _waiters = [];
    private long _durable;

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

    public void SetLogId(string logId) => _inner.SetLogId(logId);

    public void SetGeneration(long generation) => _inner.SetGeneration(generation);

    public void Append(IReadOnlyList<LogEntry> entries) => _inner.Append(entries);

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

    public void TruncateFrom(long index) => _inner.TruncateFrom(index);

    public long? IndexOfKey(string key) => _inner.IndexOfKey(key);

    public ulong? ChecksumAt(long index) => _inner.ChecksumAt(index);

    public void RecordKey(string key, long index) => _inner.RecordKey(key, index);

    public void Dispose() => _inner.Dispose();
}
