using System.Text;

namespace ReplicatedLog.Core.Log;

/// <summary>
/// An append-only, in-memory sequence of entries with contiguous indexes from 1. Thread-safe: appends are
/// serialized by the owner, reads take a short lock and copy what they return.
/// </summary>
public sealed class EntryStore
{
    private readonly List<LogEntry> _entries = [];
    private readonly Lock _gate = new();
    private long _lastIndex;

    /// <summary>The index of the last entry, 0 when empty.</summary>
    public long LastIndex => Volatile.Read(ref _lastIndex);

    /// <summary>Appends the entry that must come next; anything else is a bug in the caller.</summary>
    public void Append(LogEntry entry)
    {
        lock (_gate)
        {
            if (entry.Index != _entries.Count + 1)
            {
                throw new InvalidOperationException(
                    $"Entry {entry.Index} does not continue the log, whose last index is {_entries.Count}.");
            }

            _entries.Add(entry);
            Volatile.Write(ref _lastIndex, entry.Index);
        }
    }

    /// <summary>The message at <paramref name="index"/>, or null when the log does not reach it.</summary>
    public string? MessageAt(long index)
    {
        lock (_gate)
        {
            return index >= 1 && index <= _entries.Count ? _entries[(int)(index - 1)].Message : null;
        }
    }

    /// <summary>Removes the entries from <paramref name="index"/> on (a suffix the master does not hold).</summary>
    public void TruncateFrom(long index)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(index, 1);
        lock (_gate)
        {
            if (index <= _entries.Count)
            {
                _entries.RemoveRange((int)(index - 1), _entries.Count - (int)(index - 1));
                Volatile.Write(ref _lastIndex, _entries.Count);
            }
        }
    }

    /// <summary>Removes every entry.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
            Volatile.Write(ref _lastIndex, 0);
        }
    }

    /// <summary>
    /// Entries from <paramref name="from"/> on: at most <paramref name="maxCount"/> of them and, past the first,
    /// no more than <paramref name="maxBytes"/> bytes of UTF-8 message text (the first is always included, so a
    /// single large message still moves).
    /// </summary>
    public IReadOnlyList<LogEntry> Read(long from, int maxCount, long maxBytes = long.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(from, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        lock (_gate)
        {
            if (from > _entries.Count)
            {
                return [];
            }

            var start = (int)(from - 1);
            var count = Math.Min(maxCount, _entries.Count - start);
            if (maxBytes == long.MaxValue)
            {
                return _entries.GetRange(start, count);
            }

            var result = new List<LogEntry>(Math.Min(count, 256));
            long bytes = 0;
            for (var i = start; i < start + count; i++)
            {
                var entry = _entries[i];
                bytes += Encoding.UTF8.GetByteCount(entry.Message);
                if (result.Count > 0 && bytes > maxBytes)
                {
                    break;
                }

                result.Add(entry);
            }

            return result;
        }
    }

    /// <summary>Every message in index order.</summary>
    public IReadOnlyList<string> Messages()
    {
        lock (_gate)
        {
            var messages = new string[_entries.Count];
            for (var i = 0; i < messages.Length; i++)
            {
                messages[i] = _entries[i].Message;
            }

            return messages;
        }
    }
}
