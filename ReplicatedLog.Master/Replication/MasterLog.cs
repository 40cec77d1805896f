using System.Text;
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
/// generation of the log, with the base it recovered (see <see cref="Generation"/>, <see cref="Base"/>). A log
/// started without a log id on a store that has none waits, unstarted, for <see cref="LogAdoption"/> to fill it from
/// the secondaries (<see cref="AppendAdopted"/>) and start it (<see cref="StartAsync"/>).
/// </summary>
public sealed class MasterLog : IReadableLog
{
    /// <summary>How many of the entries this run appended are kept as they were made, for replication to ship.</summary>
    private const int RecentEntries = 1024;

    private readonly ILogStore _store;
    private readonly Lock _appendGate = new();

    // Entry i of this run's appends at i % RecentEntries, put there before the store counts it: every secondary's
    // batch of the tail takes these entries as they are, without the log's lock, where the store would decode a copy
    // for each. Few, so few outlive a collection of the youngest generation (keeping every recent entry as an object
    // made those pauses long).
    private readonly LogEntry?[] _recent = new LogEntry?[RecentEntries];
    private TaskCompletionSource? _appended;
    private volatile string? _logId;

    /// <param name="barrier">Told what is durable on the master; none for a log no write waits on.</param>
    /// <param name="store">Where the log is kept; in memory when none is given.</param>
    /// <param name="logId">The id of a new log; a store that holds a log keeps its own.</param>
    /// <param name="adoptWhenEmpty">
    /// When the store holds no log, leave this one unstarted (no log id, no appends) until it adopts its
    /// secondaries' log: a master that lost its disk must not start a new log that they all refuse.
    /// </param>
    public MasterLog(AcknowledgementBarrier? barrier = null, ILogStore? store = null, string? logId = null, bool adoptWhenEmpty = false)
    {
        _store = store ?? new InMemoryLogStore();
        if (_store.LogId is null && !adoptWhenEmpty)
        {
            _store.SetLogId(logId ?? Guid.NewGuid().ToString("N"));
        }

        _logId = _store.LogId;
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
    public long Generation { get; private set; }

    /// <summary>
    /// What this run started with: entries 1 to <see cref="Base"/> were recovered from the store (durable: every
    /// acknowledged entry is among them); entries after it are this run's own.
    /// </summary>
    public long Base { get; private set; }

    /// <summary>The running checksum of the log at <paramref name="index"/>, or null past its end.</summary>
    public ulong? ChecksumAt(long index) => _store.ChecksumAt(index);

    /// <summary>The highest index that survives a crash of the master.</summary>
    public long DurableIndex => _store.DurableIndex;

    /// <summary>
    /// Made when this log is created (or taken over from the secondaries); secondaries holding another log's entries
    /// refuse this one. Empty while the log is not started.
    /// </summary>
    public string LogId => _logId ?? "";

    /// <summary>False while the log waits to adopt its secondaries' log: it takes no appends and ships nothing.</summary>
    public bool IsStarted => _logId is not null;

    /// <summary>
    /// Adds entries taken from a secondary to a log that is not started yet, in index order from
    /// <see cref="LastIndex"/> + 1. They become this log's once <see cref="Start"/> gives it their log id.
    /// </summary>
    public void AppendAdopted(IReadOnlyList<LogEntry> entries)
    {
        lock (_appendGate)
        {
            if (IsStarted)
            {
                throw new InvalidOperationException("The log is started; it adopts nothing more.");
            }

            var next = _store.LastIndex + 1;
            for (var i = 0; i < entries.Count; i++)
            {
                if (entries[i].Index != next + i)
                {
                    throw new InvalidDataException($"Adopted entries must continue the log at {next + i}; got index {entries[i].Index}.");
                }
            }

            _store.Append(entries);
        }
    }

    /// <summary>Drops what an adoption that did not finish left behind, so the next one starts from the first entry.</summary>
    public void DiscardAdopted()
    {
        lock (_appendGate)
        {
            if (!IsStarted && _store.LastIndex > 0)
            {
                _store.TruncateFrom(1);
            }
        }
    }

    /// <summary>
    /// Starts an unstarted log as log <paramref name="logId"/> (a new one when null), once what it adopted is durable:
    /// the log id is written last, so a crash before it leaves a log that adopts again on the next start. This run's
    /// generation goes past <paramref name="followedGeneration"/>, the newest the secondaries followed (they ignore
    /// older ones), and what it adopted is its base.
    /// </summary>
    public async Task StartAsync(string? logId, CancellationToken cancellationToken, long followedGeneration = 0)
    {
        await _store.WhenDurableAsync(_store.LastIndex, cancellationToken).ConfigureAwait(false);
        lock (_appendGate)
        {
            if (IsStarted)
            {
                throw new InvalidOperationException($"The log is started already as log {_logId}.");
            }

            _store.SetGeneration(Math.Max(_store.Generation, followedGeneration + 1));
            Generation = _store.Generation;
            Base = _store.LastIndex;
            _store.SetLogId(logId ?? Guid.NewGuid().ToString("N"));
            _logId = _store.LogId;
        }
    }

    string? IReadableLog.LogId => _logId;

    public long LastIndex => _store.LastIndex;

    /// <summary>
    /// Appends <paramref name="message"/>, or finds the entry an earlier append with the same key made.
    /// <paramref name="numbered"/> is told the new entry's index before anyone can read the entry (a replication that
    /// ships it, say), so what it records about the entry is there for whoever reads it; it runs under the log's lock and
    /// must be quick.
    /// </summary>
    public (long Index, bool Duplicate) Append(string message, string? idempotencyKey, Action<long>? numbered = null)
    {
        long index;
        TaskCompletionSource? wake;
        lock (_appendGate)
        {
            if (!IsStarted)
            {
                throw new InvalidOperationException("The log is not started: it adopts its secondaries' log first.");
            }

            if (idempotencyKey is not null && _store.IndexOfKey(idempotencyKey) is { } existing)
            {
                return (existing, true);
            }

            index = _store.LastIndex + 1;
            if (idempotencyKey is not null)
            {
                _store.RecordKey(idempotencyKey, index);
            }

            numbered?.Invoke(index);
            var entry = new LogEntry(index, message, Generation);
            Volatile.Write(ref _recent[index % RecentEntries], entry);
            _store.Append([entry]);
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
    /// count and UTF-8 bytes; none while the log is not started.
    /// </summary>
    public IReadOnlyList<LogEntry> ReadBatch(long from, int maxEntries, long maxBytes)
    {
        if (!IsStarted)
        {
            return [];
        }

        // Appends go on meanwhile: an entry found here with another index was overwritten by a newer one, and the
        // batch ends before it (or, for the first, comes from the store).
        var last = Math.Min(_store.LastIndex, from - 1 + maxEntries);
        if (from > last || last - from >= RecentEntries || Volatile.Read(ref _recent[from % RecentEntries])?.Index != from)
        {
            return _store.Read(from, maxEntries, maxBytes);
        }

        // The same bound as the store's: the count, and past the first entry the UTF-8 bytes.
        var batch = new ReadBatch(maxEntries, maxBytes, expected: last - from + 1);
        for (var index = from; index <= last; index++)
        {
            var entry = Volatile.Read(ref _recent[index % RecentEntries]);
            if (entry?.Index != index || !batch.TryAdd(entry, Encoding.UTF8.GetByteCount(entry.Message)))
            {
                break;
            }
        }

        return batch.Entries;
    }

    public IReadOnlyList<LogEntry> Read(long from, int limit) => _store.Read(from, limit);

    public IReadOnlyList<string> Messages() => _store.Messages();
}
