using System.Text;
using ReplicatedLog.Core.Log;

namespace ReplicatedLog.Core.Storage.OnDisk;

/// <summary>
/// What a file store knows in memory: where each entry is, the recent entries, the key window, the log id and the
/// generation. Recovery rebuilds it by replaying the records; the store changes it the same way as it writes them.
/// Not thread-safe: the store uses it under its lock.
/// </summary>
internal sealed class LogState(StorageOptions options)
{
    public PositionIndex Positions { get; } = new();

    public EntryCache Cache { get; } = new(options.CacheBytes);

    public KeyWindow Keys { get; } = new(options.KeyWindow);

    public RunningChecksums Checksums { get; } = new();

    public string? LogId { get; private set; }

    public long Generation { get; set; }

    public long LastIndex => Positions.Count;

    /// <summary>Takes <paramref name="logId"/>; the generations followed belong to a log, so another log starts from none.</summary>
    public void SetLogId(string logId)
    {
        if (LogId != logId)
        {
            Generation = 0;
        }

        LogId = logId;
    }

    public void AddEntry(LogEntry entry, int messageBytes, long position)
    {
        Positions.Add(position);
        Cache.Add(entry, messageBytes);
        Checksums.Append(entry);
    }

    public void TruncateFrom(long index)
    {
        Positions.TruncateTo(index - 1);
        Cache.TruncateFrom(index);
        Keys.ForgetFrom(index);
        Checksums.TruncateFrom(index);
    }

    /// <summary>Applies a record read back from disk at <paramref name="position"/>; false when it cannot follow what came before.</summary>
    public bool Replay(Record record, long position)
    {
        switch (record.Type)
        {
            case RecordType.Entry when record.Number == LastIndex + 1:
                Positions.Add(position);
                Cache.Add(new LogEntry(record.Number, Encoding.UTF8.GetString(record.Text), record.Second), record.Text.Length);
                Checksums.Append(record.Number, record.Text);
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
