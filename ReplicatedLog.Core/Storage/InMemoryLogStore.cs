using ReplicatedLog.Core.Log;

namespace ReplicatedLog.Core.Storage;

/// <summary>
/// A log kept in memory: durable as soon as it is appended, gone with the process. Messages are kept as UTF-8 bytes
/// in a <see cref="MessageArena"/>, not as strings, and only the most recent <see cref="StorageOptions.KeyWindow"/>
/// idempotency keys are remembered, so memory grows by little more than the messages' bytes. Appends are serialized
/// by the owner; reads take a short lock and decode what they return.
/// </summary>
public sealed class InMemoryLogStore : ILogStore
{
    private readonly MessageArena _messages = new();
    private readonly GenerationRuns _generations = new();
    private readonly KeyWindow _keys;
    private readonly RunningChecksums _checksums = new();
    private readonly Lock _lock = new();
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
            lock (_lock)
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
        lock (_lock)
        {
            if (_logId != logId)
            {
                // The generations followed belong to the log: another log starts from none.
                _generation = 0;
            }

            _logId = logId;
        }
    }

    public void SetGeneration(long generation)
    {
        lock (_lock)
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

        lock (_lock)
        {
            var next = _messages.Count + 1;
            foreach (var entry in entries)
            {
                if (entry.Index != next++)
                {
                    throw new InvalidOperationException(
                        $"Entry {entry.Index} does not continue the log, whose last index is {next - 2}.");
                }
            }

            foreach (var entry in entries)
            {
                _messages.Add(entry.Message);
                _generations.Add(entry.Generation);
            }

            _checksums.Append(entries);

            Volatile.Write(ref _lastIndex, _messages.Count);
        }

        DurableIndexChanged?.Invoke(entries[^1].Index);
    }

    public ulong? ChecksumAt(long index) => _checksums.At(index);

    public Task WhenDurableAsync(long index, CancellationToken cancellationToken) =>
        index <= DurableIndex ? Task.CompletedTask : Task.FromException(new InvalidOperationException(
            $"Index {index} was never appended: the log ends at {DurableIndex}."));

    public IReadOnlyList<LogEntry> Read(long from, int maxCount, long maxBytes = long.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(from, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        lock (_lock)
        {
            var last = Math.Min(_messages.Count, from - 1 + maxCount);
            if (from > last)
            {
                return [];
            }

            // The byte bound first (stored lengths, nothing decoded), then only what is returned is decoded.
            var to = from;
            for (var bytes = (long)_messages.ByteCount(from); to < last; to++)
            {
                bytes += _messages.ByteCount(to + 1);
                if (bytes > maxBytes)
                {
                    break;
                }
            }

            var result = new LogEntry[to - from + 1];
            for (var index = from; index <= to; index++)
            {
                result[index - from] = new LogEntry(index, _messages.Message(index), _generations.At(index));
            }

            return result;
        }
    }

    public void TruncateFrom(long index)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(index, 1);
        bool truncated;
        lock (_lock)
        {
            truncated = index <= _messages.Count;
            if (truncated)
            {
                _messages.TruncateTo(index - 1);
                _generations.TruncateTo(index - 1);
                _keys.ForgetFrom(index);
                _checksums.TruncateFrom(index);
                Volatile.Write(ref _lastIndex, _messages.Count);
            }
        }

        if (truncated)
        {
            DurableIndexChanged?.Invoke(index - 1);
        }
    }

    public long? IndexOfKey(string key)
    {
        lock (_lock)
        {
            return _keys.IndexOf(key);
        }
    }

    public void RecordKey(string key, long index)
    {
        lock (_lock)
        {
            _keys.Record(key, index);
        }
    }

    public void Dispose()
    {
    }
}
