using ReplicatedLog.Core.Log;
using ReplicatedLog.Core.Storage;

namespace ReplicatedLog.Master.Replication;

/// <summary>
/// The master's log: the only place indexes are given out. Appends are serialized, so indexes are 1, 2, 3, ...
/// with no gaps, and an idempotency key seen before gets its original index back instead of a new entry. It keeps
/// its entries, its log id and its keys in the store it is given, and tells the acknowledgement barrier what is
/// durable on the master: the master holds an entry, for write concern, once it is durable. Replication ships
/// entries as soon as they are appended, so the master's fsync and the secondaries' overlap; a crash may then take
/// back entries a secondary holds (none of them acknowledged), which is why each start of the master is a new
/// generation of the log, with the base it recovered (see <see cref="Generation"/>, <see cref="Base"/>).
/// </summary>
public sealed class MasterLog : IReadableLog
{
    private readonly ILogStore _store;
    private readonly Lock _appendGate = new();
    private TaskCompletionSource? _appended;

    /// <param name="barrier">Told what is durable on the master; none for a log no write waits on.</param>
    /// <param name="store">Where the log is kept; in memory when none is given.</param>
    /// <param name="logId">The id of a new log; a store that holds a log keeps its own.</param>
    public MasterLog(AcknowledgementBarrier? barrier = null, ILogStore? store = null, string? logId = null)
    {
        _store = store ?? new InMemoryLogStore();
        if (_store.LogId is null)
        {
            _store.SetLogId(logId ?? Guid.NewGuid().ToString("N"));
        }

        LogId = _store.LogId!;
        Base = _store.LastIndex;
        _store.SetGeneration(_store.Generation + 1);
        Generation = _store.Generation;
        if (barrier is not null)
        {
            _store.DurableIndexChanged += durable => barrier.Acknowledge(barrier.Master, durable);
            barrier.Acknowledge(barrier.Master, _store.DurableIndex);
        }
    }

    /// <summary>This run of the master: one more than the run before it on the same store. Its entries record it.</summary>
    public long Generation { get; }

    /// <summary>
    /// What this run started with: entries 1 to <see cref="Base"/> were recovered from the store (durable: every
    /// acknowledged entry is among them); entries after it are this run's own.
    /// </summary>
    public long Base { get; }

    /// <summary>The running checksum of the log at <paramref name="index"/>, or null past its end.</summary>
    public ulong? ChecksumAt(long index) => _store.ChecksumAt(index);

    /// <summary>The highest index that survives a crash of the master.</summary>
    public long DurableIndex => _store.DurableIndex;

    /// <summary>Made when this log is created; secondaries holding another log's entries refuse this one.</summary>
    public string LogId { get; }

    string? IReadableLog.LogId => LogId;

    public long LastIndex => _store.LastIndex;

    /// <summary>Appends <paramref name="message"/>, or finds the entry an earlier append with the same key made.</summary>
    public (long Index, bool Duplicate) Append(string message, string? idempotencyKey)
    {
        long index;
        TaskCompletionSource? wake;
        lock (_appendGate)
        {
            if (idempotencyKey is not null && _store.IndexOfKey(idempotencyKey) is { } existing)
            {
                return (existing, true);
            }

            index = _store.LastIndex + 1;
            if (idempotencyKey is not null)
            {
                _store.RecordKey(idempotencyKey, index);
            }

            _store.Append([new LogEntry(index, message, Generation)]);
            (wake, _appended) = (_appended, null);
        }

        wake?.TrySetResult();
        return (index, false);
    }

    /// <summary>Completes once the log holds an entry after <paramref name="index"/>: one replication may ship.</summary>
    public Task WhenAppendedAfter(long index)
    {
        lock (_appendGate)
        {
            if (_store.LastIndex > index)
            {
                return Task.CompletedTask;
            }

            _appended ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _appended.Task;
        }
    }

    /// <summary>
    /// A batch for replication: entries from <paramref name="from"/>, durable on the master or not yet, bounded by
    /// count and UTF-8 bytes.
    /// </summary>
    public IReadOnlyList<LogEntry> ReadBatch(long from, int maxEntries, long maxBytes) => _store.Read(from, maxEntries, maxBytes);

    public IReadOnlyList<LogEntry> Read(long from, int limit) => _store.Read(from, limit);

    public IReadOnlyList<string> Messages() => _store.Messages();
}
