namespace ReplicatedLog.Core.Log;

/// <summary>
/// The running checksum at every index of one log (8 bytes an entry), kept next to it by its owner: appended to as
/// the log grows, cut back when it is truncated. Appends are serialized by the owner; reads may come from any thread.
/// </summary>
public sealed class RunningChecksums
{
    private const int ChunkSize = 1 << 16;
    private readonly List<ulong[]> _chunks = [];
    private readonly Lock _gate = new();
    private long _count;

    /// <summary>The checksums of a log's entries, read once from 1 on (at start, from a store that holds a log).</summary>
    public static RunningChecksums Of(Func<long, IReadOnlyList<LogEntry>> readFrom)
    {
        var checksums = new RunningChecksums();
        for (var page = readFrom(1); page.Count > 0; page = readFrom(page[^1].Index + 1))
        {
            checksums.Append(page);
        }

        return checksums;
    }

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
            var last = At(_count)!.Value;
            foreach (var entry in entries)
            {
                if (entry.Index != _count + 1)
                {
                    throw new InvalidOperationException($"Checksum of entry {entry.Index} does not follow {_count}.");
                }

                if (_count % ChunkSize == 0 && _count / ChunkSize == _chunks.Count)
                {
                    _chunks.Add(new ulong[ChunkSize]);
                }

                last = LogChecksum.Next(last, entry);
                _chunks[(int)(_count / ChunkSize)][_count % ChunkSize] = last;
                _count++;
            }
        }
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
