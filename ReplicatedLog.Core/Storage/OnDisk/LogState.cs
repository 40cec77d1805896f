using System.Text;
using ReplicatedLog.Core.Log;

namespace ReplicatedLog.Core.Storage.OnDisk;

/// <summary>
/// What a file store knows in memory: its segments, where to find each entry (<see cref="SparseIndex"/>), the recent
/// entries, the key window, the log id and the generation. Recovery rebuilds it by replaying the records; the store
/// changes it the same way as it writes them. Not thread-safe: the store uses it under its lock.
/// </summary>
internal sealed class LogState(StorageOptions options)
{
    /// <summary>The open segment files, in order: a position's segment is its place here.</summary>
    public List<Segment> Segments { get; } = [];

    public SparseIndex Index { get; } = new(options.IndexStride);

    public EntryCache Cache { get; } = new(options.CacheBytes);

    public KeyWindow Keys { get; } = new(options.KeyWindow);

    public string? LogId { get; private set; }

    public long Generation { get; set; }

    public long LastIndex => Index.LastIndex;

    /// <summary>Takes <paramref name="logId"/>; the generations followed belong to a log, so another log starts from none.</summary>
    public void SetLogId(string logId)
    {
        if (LogId != logId)
        {
            Generation = 0;
        }

        LogId = logId;
    }

    /// <summary>Takes the entry after the last, as the store writes it at <paramref name="position"/>: where it is, and into the cache.</summary>
    public void AddEntry(LogEntry entry, int messageBytes, long position)
    {
        var checksum = LogChecksum.Next(Index.LastChecksum, entry);
        Index.Add(entry.Index, position, checksum);
        Cache.Add(entry, messageBytes, checksum);
    }

    public void TruncateFrom(long index)
    {
        if (index <= LastIndex)
        {
            Index.TruncateFrom(index, ChecksumAt(index - 1));
            Cache.TruncateFrom(index);
        }

        Keys.ForgetFrom(index);
    }

    /// <summary>
    /// The running checksum at <paramref name="index"/> (at most <see cref="LastIndex"/>) when memory holds it: at the
    /// last entry, a cached one, or before a mark (or 0, the empty log).
    /// </summary>
    public bool TryKnownChecksum(long index, out ulong checksum)
    {
        if (index == LastIndex || index == 0)
        {
            checksum = index == 0 ? LogChecksum.Empty : Index.LastChecksum;
            return true;
        }

        return Cache.TryGetChecksum(index, out checksum) || Index.TryChecksumBefore(index + 1, out checksum);
    }

    /// <summary>The running checksum at <paramref name="index"/> (at most <see cref="LastIndex"/>), read from the segments when memory does not hold it.</summary>
    public ulong ChecksumAt(long index) => TryKnownChecksum(index, out var checksum)
        ? checksum
        : EntryWalk.ChecksumAt(Index.Route(index, index), Segments, index);

    /// <summary>Applies a record read back from disk at <paramref name="position"/>; false when it cannot follow what came before.</summary>
    public bool Replay(Record record, long position)
    {
        switch (record.Type)
        {
            case RecordType.Entry when record.Number == LastIndex + 1:
                // Its bytes go to the cache as they are: no string is made for an entry recovery only passes by.
                var checksum = LogChecksum.Next(Index.LastChecksum, record.Number, record.Text);
                Index.Add(record.Number, position, checksum);
                Cache.Add(record.Number, record.Second, record.Text, checksum);
                return true;
            case RecordType.Key:
                Keys.Record(Encoding.UTF8.GetString(record.Text), record.Number);
                return true;
            case RecordType.LogId:
                SetLogId(Encoding.UTF8.GetString(record.Text));
                return true;
            case RecordType.Generation:
                Generation = Math.Max(Generation, record.Number);
                return true;
            case RecordType.Truncation when record.Number >= 1:
                TruncateFrom(record.Number);
                return true;
            default:
                return false;
        }
    }
}
