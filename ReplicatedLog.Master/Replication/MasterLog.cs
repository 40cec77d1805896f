using ReplicatedLog.Core.Log;

namespace ReplicatedLog.Master.Replication;

/// <summary>
/// The master's log: the only place indexes are given out. Appends are serialized, so indexes are 1, 2, 3, ...
/// with no gaps, and an idempotency key seen before gets its original index back instead of a new entry.
/// </summary>
public sealed class MasterLog : IReadableLog
{
    private readonly EntryStore _entries = new();
    private readonly Dictionary<string, long> _indexByKey = new(StringComparer.Ordinal);
    private readonly Lock _appendGate = new();
    private TaskCompletionSource? _appended;

    public MasterLog(string? logId = null) => LogId = logId ?? Guid.NewGuid().ToString("N");

    /// <summary>Made when this log is created; secondaries holding another log's entries refuse this one.</summary>
    public string LogId { get; }

    string? IReadableLog.LogId => LogId;

    public long LastIndex => _entries.LastIndex;

    /// <summary>Appends <paramref name="message"/>, or finds the entry an earlier append with the same key made.</summary>
    public (long Index, bool Duplicate) Append(string message, string? idempotencyKey)
    {
        TaskCompletionSource? wake;
        long index;
        lock (_appendGate)
        {
            if (idempotencyKey is not null && _indexByKey.TryGetValue(idempotencyKey, out var existing))
            {
                return (existing, true);
            }

            index = _entries.LastIndex + 1;
            _entries.Append(new LogEntry(index, message));
            if (idempotencyKey is not null)
            {
                _indexByKey[idempotencyKey] = index;
            }

            wake = _appended;
            _appended = null;
        }

        wake?.TrySetResult();
        return (index, false);
    }

    /// <summary>Completes once the log holds an entry after <paramref name="index"/>.</summary>
    public Task WhenAppendedAfter(long index)
    {
        lock (_appendGate)
        {
            if (_entries.LastIndex > index)
            {
                return Task.CompletedTask;
            }

            _appended ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _appended.Task;
        }
    }

    /// <summary>A batch for replication: from <paramref name="from"/>, bounded by count and UTF-8 bytes.</summary>
    public IReadOnlyList<LogEntry> ReadBatch(long from, int maxEntries, long maxBytes) =>
        _entries.Read(from, maxEntries, maxBytes);

    public IReadOnlyList<LogEntry> Read(long from, int limit) => _entries.Read(from, limit);

    public IReadOnlyList<string> Messages() => _entries.Messages();
}
