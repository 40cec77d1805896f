namespace ReplicatedLog.Core.Log;

/// <summary>
/// The running checksum at every index of one log (8 bytes an entry), kept by the in-memory store: appended to as
/// the log grows, cut back when it is truncated. Appends are serialized by the owner; reads may come from any thread.
/// (A file store keeps a checksum only every so many entries: see its sparse index.)
/// </summary>
public sealed class RunningChecksums
{
    private const int ChunkSize = 1 << 16;
    private readonly List<ulong[]> _chunks = [];
    private readonly Lock _gate = new();
    private long _count;

    /// <summary>The checksum at <paramref name="index"/> (0: the empty log), or null past the end.</summary>
    public ulong? At(long index)
    {
        lock (_gate)
        {
            return index == 0 ? LogChecksum.Empty
                : index < 0 || index > _count ? null
                : _chunks[(int)((index - 1) / ChunkSize)][(index - 1) % ChunkSize];
        }
    }

    public void Append(IReadOnlyList<LogEntry> entries)
    {
        lock (_gate)
        {
            foreach (var entry in entries)
            {
                Add(entry.Index, LogChecksum.Next(Last(entry.Index), entry));
            }
        }
    }

    private ulong Last(long next) => next == _count + 1
        ? At(_count)!.Value
        : throw new InvalidOperationException($"Checksum of entry {next} does not follow {_count}.");

    private void Add(long index, ulong checksum)
    {
        if (_count % ChunkSize == 0 && _count / ChunkSize == _chunks.Count)
        {
            _chunks.Add(new ulong[ChunkSize]);
        }

        _chunks[(int)(_count / ChunkSize)][_count % ChunkSize] = checksum;
        _count = index;
    }

    /// <summary>Forgets the checksums from <paramref name="index"/> on.</summary>
    public void TruncateFrom(long index)
    {
        lock (_gate)
        {
            _count = Math.Min(_count, Math.Max(0, index - 1));
        }
    }
}
