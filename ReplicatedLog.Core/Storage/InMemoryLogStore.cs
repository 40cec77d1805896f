using System.Text;
using ReplicatedLog.Core.Log;

namespace ReplicatedLog.Core.Storage;

/// <summary>
/// A log kept in memory: durable as soon as it is appended, gone with the process. Only the most recent
/// <see cref="StorageOptions.KeyWindow"/> idempotency keys are remembered. Appends are serialized by the owner; reads
/// take a short lock and copy what they return.
/// </summary>
public sealed class InMemoryLogStore : ILogStore
{
    private readonly List<LogEntry> _entries = [];
    private readonly KeyWindow _keys;
    private readonly Lock _gate = new();
    private long _lastIndex;
    private string? _logId;
    private long _generation;

    /// <summary>A store with the default options (a window of 100,000 keys).</summary>
    public InMemoryLogStore()
        : this(new StorageOptions())
    {
    }

    /// <summary>A store that remembers the most recent <see cref="StorageOptions.KeyWindow"/> keys.</summary>
    public InMemoryLogStore(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.KeyWindow, 1);
        _keys = new KeyWindow(options.KeyWindow);
    }

    public event Action<long>? DurableIndexChanged;

    public string? LogId
    {
        get
        {
            lock (_gate)
            {
                return _logId;
            }
        }
    }

    public long LastIndex => Volatile.Read(ref _lastIndex);

    public long DurableIndex => LastIndex;

    public long Generation => Volatile.Read(ref _generation);

    public void SetLogId(string logId)
    {
        lock (_gate)
        {
            _logId = logId;
        }
    }

    public void SetGeneration(long generation)
    {
        lock (_gate)
        {
            _generation = Math.Max(_generation, generation);
        }
    }

    public void Append(IReadOnlyList<LogEntry> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            var next = _entries.Count + 1;
            foreach (var entry in entries)
            {
                if (entry.Index != next++)
                {
                    throw new InvalidOperationException(
                        $"Entry {entry.Index} does not continue the log, whose last index is {next - 2}.");
                }
            }

            _entries.AddRange(entries);
            Volatile.Write(ref _lastIndex, _entries.Count);
        }

        DurableIndexChanged?.Invoke(entries[^1].Index);
    }

    public Task WhenDurableAsync(long index, CancellationToken cancellationToken) =>
        index <= DurableIndex ? Task.CompletedTask : Task.FromException(new InvalidOperationException(
            $"Index {index} was never appended: the log ends at {DurableIndex}."));

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

    public void TruncateFrom(long index)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(index, 1);
        bool truncated;
        lock (_gate)
        {
            truncated = index <= _entries.Count;
            if (truncated)
            {
                _entries.RemoveRange((int)(index - 1), _entries.Count - (int)(index - 1));
                _keys.ForgetFrom(index);
                Volatile.Write(ref _lastIndex, _entries.Count);
            }
        }

        if (truncated)
        {
            DurableIndexChanged?.Invoke(index - 1);
        }
    }

    public long? IndexOfKey(string key)
    {
        lock (_gate)
        {
            return _keys.IndexOf(key);
        }
    }

    public void RecordKey(string key, long index)
    {
        lock (_gate)
        {
            _keys.Record(key, index);
        }
    }

    public void Dispose()
    {
    }
}
