using ReplicatedLog.Core.Log;

namespace ReplicatedLog.Core.Storage;

/// <summary>
/// What a node keeps its log in: entries with contiguous indexes from 1, and what must survive a restart with them
/// (the log id, the idempotency keys, the master's generation). Appends are serialized by the owner (the master's
/// log, the replica); reads may come from any thread. An appended entry is readable at once and durable once
/// <see cref="DurableIndex"/> reaches it: at once in memory, after an fsync on disk.
/// </summary>
public interface ILogStore : IDisposable
{
    /// <summary>The identity of the log held, or null while the store has none (an empty secondary).</summary>
    string? LogId { get; }

    /// <summary>The highest index appended (0 when empty).</summary>
    long LastIndex { get; }

    /// <summary>The highest index that survives a crash of the process.</summary>
    long DurableIndex { get; }

    /// <summary>
    /// The highest generation of a master run recorded for this log (0 when none is): on the master its own run, on a
    /// secondary the newest run of the master it has followed.
    /// </summary>
    long Generation { get; }

    /// <summary>Raised, in order, each time <see cref="DurableIndex"/> moves on, with its new value (or goes back on a truncation).</summary>
    event Action<long>? DurableIndexChanged;

    /// <summary>
    /// Gives the store its log id (when it has none, or when it is emptied to take another log). Generations belong to
    /// a log: another log id sets <see cref="Generation"/> back to 0.
    /// </summary>
    void SetLogId(string logId);

    /// <summary>
    /// Records the generation of a master run (it only grows). Durable when this returns, with everything written
    /// before it: a restart never hands out a generation again whose run may have shipped entries.
    /// </summary>
    void SetGeneration(long generation);

    /// <summary>
    /// Appends entries that continue the log: the first is <see cref="LastIndex"/>+1, the rest follow it. Each keeps
    /// its <see cref="LogEntry.Generation"/>, which reads give back.
    /// </summary>
    void Append(IReadOnlyList<LogEntry> entries);

    /// <summary>Completes once <see cref="DurableIndex"/> is at least <paramref name="index"/>.</summary>
    Task WhenDurableAsync(long index, CancellationToken cancellationToken);

    /// <summary>
    /// Entries from <paramref name="from"/> on: at most <paramref name="maxCount"/> of them and, past the first, no
    /// more than <paramref name="maxBytes"/> bytes of UTF-8 message text (the first is always included, so a single
    /// large message still moves).
    /// </summary>
    IReadOnlyList<LogEntry> Read(long from, int maxCount, long maxBytes = long.MaxValue);

    /// <summary>Removes the entries from <paramref name="index"/> on (a suffix the master does not hold).</summary>
    void TruncateFrom(long index);

    /// <summary>
    /// The running checksum of the log at <paramref name="index"/> (<see cref="LogChecksum"/>; the empty log's at 0),
    /// or null past the end. Kept as entries are appended and truncated, rebuilt by a store that recovers its log.
    /// </summary>
    ulong? ChecksumAt(long index);

    /// <summary>The index an idempotency key was appended at, or null when the key is not known.</summary>
    long? IndexOfKey(string key);

    /// <summary>Remembers that the entry at <paramref name="index"/> was appended under <paramref name="key"/>.</summary>
    void RecordKey(string key, long index);
}
