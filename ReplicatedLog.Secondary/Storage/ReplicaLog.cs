using ReplicatedLog.Core.Contracts;
using ReplicatedLog.Core.Log;
using ReplicatedLog.Core.Storage;

namespace ReplicatedLog.Secondary.Storage;

/// <summary>The result of applying a batch from the master.</summary>
/// <param name="AppliedIndex">The highest index applied (visible to reads): the cumulative acknowledgement.</param>
/// <param name="HeldBack">Entries received ahead of a gap, kept invisible until the gap is filled.</param>
/// <param name="Applied">How many entries this batch made visible.</param>
/// <param name="Duplicates">How many entries of the batch were already applied (ignored).</param>
/// <param name="LogIdMismatch">True when the batch belongs to another log than the one held: nothing was applied.</param>
/// <param name="Replaced">
/// How many applied entries the batch replaced: entries at an index the master now sends with other content or from
/// another generation (one held back without coming from the master and applied when its gap filled, one a lost
/// master run made), and those after them.
/// </param>
/// <param name="Stale">
/// True when the batch comes from an older generation of the master than the newest this secondary has followed: a
/// request of a master run that is gone. Nothing was applied.
/// </param>
/// <param name="Dropped">How many entries after the master's base a new generation dropped (see <see cref="ReplicaLog.Follow"/>).</param>
/// <param name="Diverged">
/// True when this secondary holds the entry the batch continues but its log up to there is not the master's (the
/// running checksums differ): nothing was applied, and <see cref="AppliedIndex"/> is 0, so that the master sends its
/// log from the first entry and the secondary replaces the first entry that differs.
/// </param>
public sealed record ApplyOutcome(
    long AppliedIndex,
    int HeldBack,
    int Applied,
    int Duplicates,
    bool LogIdMismatch,
    int Replaced = 0,
    bool Stale = false,
    int Dropped = 0,
    bool Diverged = false);

/// <summary>
/// A secondary's copy of the log. Entry i becomes visible only after 1..i-1; an entry that arrives early waits,
/// held back, for the gap to fill; an entry at or below the applied index is a duplicate and is ignored. What the
/// master sends for an index is what the secondary keeps: an entry it sends that differs (in text or generation)
/// from the one applied at that index replaces it and everything after it (the master acknowledges only what it
/// sent, so it sends that index again if a held-back entry was applied in its place). The log belongs to one log id:
/// once it holds entries, entries of another log are refused. It follows the newest generation of the master (see
/// <see cref="Follow"/>) and ignores requests of older ones; all of it is decided under one lock, at apply time, so
/// a request that slept through a newer generation's truncation is still seen as stale.
/// </summary>
/// <param name="maxHeldBack">At most this many early entries wait for a gap to fill.</param>
/// <param name="store">Where the applied entries and the log id are kept; in memory when none is given.</param>
public sealed class ReplicaLog(int maxHeldBack, ILogStore? store = null) : IReadableLog
{
    private readonly ILogStore _applied = store ?? new InMemoryLogStore();
    private readonly SortedDictionary<long, LogEntry> _heldBack = [];
    private readonly Lock _gate = new();

    /// <summary>Made once per process: the master tells a restart (an empty log again) by it.</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    public string? LogId => _applied.LogId;

    /// <summary>The newest generation of the master this secondary has followed (0 before any).</summary>
    public long Generation => _applied.Generation;

    public long LastIndex => _applied.LastIndex;

    public int HeldBackCount
    {
        get
        {
            lock (_gate)
            {
                return _heldBack.Count;
            }
        }
    }

    /// <summary>True when this log holds entries of a log other than <paramref name="logId"/>.</summary>
    public bool Conflicts(string logId)
    {
        lock (_gate)
        {
            return IsOtherLog(logId);
        }
    }

    /// <summary>Applies a batch from the master (see <see cref="ApplyOutcome"/> for what can happen).</summary>
    public ApplyOutcome Apply(AppendEntriesRequest request)
    {
        lock (_gate)
        {
            if (IsOtherLog(request.LogId))
            {
                return new ApplyOutcome(_applied.LastIndex, _heldBack.Count, 0, 0, LogIdMismatch: true);
            }

            if (_applied.LogId != request.LogId)
            {
                // Empty so far: this log is the one we hold from now on.
                _applied.SetLogId(request.LogId);
                _heldBack.Clear();
            }

            if (request.Generation < _applied.Generation)
            {
                return new ApplyOutcome(_applied.LastIndex, _heldBack.Count, 0, 0, false, Stale: true);
            }

            var dropped = FollowLocked(request.Generation, request.Base);
            var entries = request.Entries;
            if (entries.Count > 0 && request.PrevChecksum is { } previous && !Continues(entries[0].Index - 1, previous))
            {
                return new ApplyOutcome(0, _heldBack.Count, 0, 0, false, Dropped: dropped, Diverged: true);
            }

            return ApplyEntries(entries) with { Dropped = dropped };
        }
    }

    /// <summary>
    /// Follows generation <paramref name="generation"/> of the master of log <paramref name="logId"/> if it is newer
    /// than the one followed: what is held after <paramref name="base"/> (what that master run started with) was made
    /// by runs that lost it before it was durable on the master, and none of it was acknowledged to a client, so it
    /// is dropped, with the held-back entries; then the generation is recorded (after the truncation, so a crash
    /// never keeps the generation without it). Returns how many entries were dropped.
    /// </summary>
    public int Follow(string logId, long generation, long @base)
    {
        lock (_gate)
        {
            return _applied.LogId == logId ? FollowLocked(generation, @base) : 0;
        }
    }

    private int FollowLocked(long generation, long @base)
    {
        if (generation <= _applied.Generation)
        {
            return 0;
        }

        var dropped = (int)Math.Max(0, _applied.LastIndex - @base);
        if (dropped > 0)
        {
            _applied.TruncateFrom(@base + 1);
        }

        _heldBack.Clear();
        _applied.SetGeneration(generation);
        return dropped;
    }

    /// <summary>
    /// Whether the log continues the master's at <paramref name="index"/>: it does not hold that index yet (the batch
    /// is held back until the gap fills), or its running checksum there is the master's.
    /// </summary>
    private bool Continues(long index, string checksum) =>
        index > _applied.LastIndex || (_applied.ChecksumAt(index) is { } ours && LogChecksum.Format(ours) == checksum);

    private ApplyOutcome ApplyEntries(IReadOnlyList<LogEntry> entries)
    {
        // Entries that continue the log gather in a run, appended to the store in one go (one write, one fsync).
        var run = new List<LogEntry>();
        var before = _applied.LastIndex;
        var duplicates = 0;
        var replaced = 0;
        foreach (var entry in entries)
        {
            var applied = _applied.LastIndex + run.Count;
            if (entry.Index <= applied && EntryAt(entry.Index, run) == entry)
            {
                duplicates++;
            }
            else if (entry.Index <= applied)
            {
                // Not the master's entry: drop it and what follows it, and take the master's.
                _applied.Append(run);
                run.Clear();
                replaced += (int)(applied - entry.Index + 1);
                before = Math.Min(before, entry.Index - 1);
                _applied.TruncateFrom(entry.Index);
                _heldBack.Clear();
                run.Add(entry);
            }
            else if (entry.Index == applied + 1)
            {
                run.Add(entry);
                for (var last = entry.Index; _heldBack.Remove(last + 1, out var next); last = next.Index)
                {
                    run.Add(next);
                }
            }
            else if (_heldBack.Count < maxHeldBack || _heldBack.ContainsKey(entry.Index))
            {
                _heldBack[entry.Index] = entry;
            }
        }

        _applied.Append(run);
        return new ApplyOutcome(_applied.LastIndex, _heldBack.Count, (int)(_applied.LastIndex - before), duplicates, false, replaced);
    }

    /// <summary>Completes once everything up to <paramref name="index"/> survives a crash (at once in memory).</summary>
    public Task WhenDurableAsync(long index, CancellationToken cancellationToken) =>
        _applied.WhenDurableAsync(Math.Min(index, _applied.LastIndex), cancellationToken);

    public IReadOnlyList<LogEntry> Read(long from, int limit) => _applied.Read(from, limit);

    public IReadOnlyList<string> Messages() => _applied.Messages();

    private bool IsOtherLog(string logId) => _applied.LogId is { } held && held != logId && _applied.LastIndex > 0;

    /// <summary>What survives a crash: what the master may count (at once in memory).</summary>
    public long DurableIndex => Math.Min(_applied.DurableIndex, _applied.LastIndex);

    /// <summary>The running checksum of the applied log at <paramref name="index"/>, or null past its end.</summary>
    public ulong? ChecksumAt(long index) => _applied.ChecksumAt(index);

    /// <summary>What the master may count, and the log's running checksum there, taken together.</summary>
    public (long Index, ulong Checksum) DurableTip()
    {
        lock (_gate)
        {
            var index = DurableIndex;
            return (index, _applied.ChecksumAt(index) ?? LogChecksum.Empty);
        }
    }

    private LogEntry? EntryAt(long index, List<LogEntry> run) =>
        index > _applied.LastIndex ? run[(int)(index - _applied.LastIndex - 1)] : _applied.Read(index, 1) is [var held] ? held : null;
}
