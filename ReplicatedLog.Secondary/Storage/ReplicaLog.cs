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
/// How many applied entries the batch replaced: entries at an index the master now sends with other content (one
/// that was held back without coming from the master, and applied when its gap filled), and those after them.
/// </param>
public sealed record ApplyOutcome(long AppliedIndex, int HeldBack, int Applied, int Duplicates, bool LogIdMismatch, int Replaced = 0);

/// <summary>
/// A secondary's copy of the log. Entry i becomes visible only after 1..i-1; an entry that arrives early waits,
/// held back, for the gap to fill; an entry at or below the applied index is a duplicate and is ignored. What the
/// master sends for an index is what the secondary keeps: an entry it sends that differs from the one applied at
/// that index replaces it and everything after it (the master acknowledges only what it sent, so it sends that
/// index again if a held-back entry was applied in its place). The log belongs to one log id: once it holds
/// entries, entries of another log are refused.
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

    public ApplyOutcome Apply(string logId, IEnumerable<LogEntry> entries)
    {
        lock (_gate)
        {
            if (IsOtherLog(logId))
            {
                return new ApplyOutcome(_applied.LastIndex, _heldBack.Count, 0, 0, LogIdMismatch: true);
            }

            if (_applied.LogId != logId)
            {
                // Empty so far: this log is the one we hold from now on.
                _applied.SetLogId(logId);
                _heldBack.Clear();
            }

            // Entries that continue the log gather in a run, appended to the store in one go (one write, one fsync).
            var run = new List<LogEntry>();
            var before = _applied.LastIndex;
            var duplicates = 0;
            var replaced = 0;
            foreach (var entry in entries)
            {
                var applied = _applied.LastIndex + run.Count;
                if (entry.Index <= applied && MessageAt(entry.Index, run) == entry.Message)
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

    private string? MessageAt(long index, List<LogEntry> run) =>
        index > _applied.LastIndex ? run[(int)(index - _applied.LastIndex - 1)].Message : _applied.MessageAt(index);
}
