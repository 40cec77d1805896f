using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Text;
using ReplicatedLog.Core.Log;
using ReplicatedLog.Core.Storage.OnDisk;

namespace ReplicatedLog.Core.Storage;

/// <summary>
/// A log kept in append-only segment files in a directory (see <see cref="RecordFrame"/> for the framing), recovered
/// to its last whole, valid record when opened. Every change is written to the file at once (one positional write per
/// call, into the operating system's cache); with <see cref="FsyncMode.Always"/> one flusher thread fsyncs whatever
/// was written since its last fsync, so appends that arrive together share one, and only then moves
/// <see cref="DurableIndex"/> on. Memory holds a bounded cache of the most recent entries and, for the older ones, a
/// <see cref="SparseIndex"/>: 24 bytes about every <see cref="StorageOptions.IndexStride"/> entries (one every 128),
/// from which their records, and the running checksum at any of them, are read forward in the files. Changes are
/// serialized by the owner, as <see cref="ILogStore"/> says; reads may come from any thread. A failed write or fsync
/// faults the store: later changes throw, and waiters fail, with that <see cref="IOException"/>.
/// </summary>
public sealed class FileLogStore : ILogStore
{
    private const int EntriesPerRead = 4096;

    private readonly string _directory;
    private readonly StorageOptions _options;
    private readonly LogState _state;
    private readonly List<Segment> _segments;
    private readonly FileStream _lockFile;
    private readonly Lock _gate = new();
    private readonly Lock _flushRound = new();
    private readonly ArrayBufferWriter<byte> _scratch = new();
    private readonly List<int> _frameSizes = [];
    private readonly Thread? _flusher;
    private readonly AutoResetEvent _wake = new(false);
    private readonly Durability _durability;
    private long _lastIndex;
    private long _truncatedFrom = long.MaxValue;
    private bool _directoryDirty;
    private long _fsyncCount;
    private bool _stopping;
    private bool _disposed;

    /// <summary>Opens the log in <paramref name="directory"/> (created if needed), recovering what it holds.</summary>
    public FileLogStore(string directory, StorageOptions options)
    {
        _directory = directory;
        _options = options;
        Directory.CreateDirectory(directory);
        // A second store on the same directory (another process, or this one) fails here instead of interleaving writes.
        _lockFile = new FileStream(Path.Combine(directory, "lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        _state = new LogState(options);
        try
        {
            (_segments, Recovery) = SegmentRecovery.Recover(directory, _state, ZeroAheadTo);
            if (_segments.Count == 0)
            {
                _segments.Add(Segment.Open(directory, 0, 1, ZeroAheadTo));
            }

            if (options.Fsync == FsyncMode.Always)
            {
                // What recovery found may still be only in the operating system's cache: make it durable before saying so.
                DirectorySync.Flush(directory);
                foreach (var segment in _segments)
                {
                    RandomAccess.FlushToDisk(segment.Handle);
                }
            }
        }
        catch
        {
            foreach (var segment in _segments ?? [])
            {
                segment.Dispose();
            }

            _lockFile.Dispose();
            throw;
        }

        _lastIndex = _state.LastIndex;
        _durability = new Durability(_state.LastIndex);
        if (options.Fsync == FsyncMode.Always)
        {
            _flusher = new Thread(FlushLoop) { IsBackground = true, Name = $"Log flusher ({directory})" };
            _flusher.Start();
        }
    }

    public event Action<long>? DurableIndexChanged;

    /// <summary>What recovery found and did when the store opened.</summary>
    public RecoveryReport Recovery { get; }

    /// <summary>How many fsyncs of segment files group commit has made since the store opened.</summary>
    public long FsyncCount => Interlocked.Read(ref _fsyncCount);

    /// <summary>How group commit fsyncs a segment file; tests replace it to make an fsync fail.</summary>
    internal Action<Microsoft.Win32.SafeHandles.SafeFileHandle> FlushToDisk { get; set; } = RandomAccess.FlushToDisk;

    /// <summary>Where the next record goes in the last segment file (which may hold zeros past it).</summary>
    internal long WrittenEnd => Locked(() => _segments[^1].Length);

    /// <summary>How many marks the store's <see cref="SparseIndex"/> holds.</summary>
    internal int IndexMarks => Locked(() => _state.Index.MarkCount);

    public string? LogId => Locked(() => _state.LogId);

    public long LastIndex => Volatile.Read(ref _lastIndex);

    public long DurableIndex => _durability.Index;

    public long Generation => Locked(() => _state.Generation);

    public void SetLogId(string logId) => Change(() =>
    {
        Write(RecordType.LogId, text: logId);
        _state.SetLogId(logId);
    });

    /// <summary>Records the generation; with <see cref="FsyncMode.Always"/> it is on disk, with all written before it, when this returns.</summary>
    public void SetGeneration(long generation)
    {
        var written = false;
        Change(() =>
        {
            if (generation > _state.Generation)
            {
                Write(RecordType.Generation, generation);
                _state.Generation = generation;
                written = true;
            }
        });

        if (written && _flusher is not null && FlushRound() is { } failed)
        {
            ExceptionDispatchInfo.Throw(failed);
        }
    }

    public void RecordKey(string key, long index) => Change(() =>
    {
        Write(RecordType.Key, index, text: key);
        _state.Keys.Record(key, index);
    });

    public long? IndexOfKey(string key) => Locked(() => _state.Keys.IndexOf(key));

    public void Append(IReadOnlyList<LogEntry> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }

        Change(() =>
        {
            for (var i = 0; i < entries.Count; i++)
            {
                if (entries[i].Index != _state.LastIndex + 1 + i)
                {
                    throw new InvalidOperationException(
                        $"Entry {entries[i].Index} does not continue the log, whose last index is {_state.LastIndex + i}.");
                }
            }

            _scratch.ResetWrittenCount();
            _frameSizes.Clear();
            foreach (var entry in entries)
            {
                _frameSizes.Add(RecordFrame.Write(_scratch, RecordType.Entry, entry.Index, entry.Generation, entry.Message));
            }

            var (segment, offset) = WriteScratch();
            for (var i = 0; i < entries.Count; i++)
            {
                _state.AddEntry(entries[i], _frameSizes[i] - RecordFrame.EntryFrameOverhead, PositionIndex.Of(segment, offset));
                offset += _frameSizes[i];
            }
        });
    }

    public void TruncateFrom(long index)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(index, 1);
        Change(() =>
        {
            if (index > _state.LastIndex)
            {
                return;
            }

            Write(RecordType.Truncation, index);
            _state.TruncateFrom(index);
            _truncatedFrom = Math.Min(_truncatedFrom, index);
            _durability.MoveTo(Math.Min(_durability.Index, index - 1));
        });
    }

    public Task WhenDurableAsync(long index, CancellationToken cancellationToken) =>
        _durability.WhenAsync(index, LastIndex, cancellationToken);

    public ulong? ChecksumAt(long index)
    {
        IndexMark[] route;
        Segment[] segments;
        lock (_gate)
        {
            if (index < 0 || index > _state.LastIndex)
            {
                return null;
            }

            if (_state.TryKnownChecksum(index, out var known))
            {
                return known;
            }

            (route, segments) = (_state.Index.Route(index, index), [.. _segments]);
        }

        return EntryWalk.ChecksumAt(route, segments, index);
    }

    public IReadOnlyList<LogEntry> Read(long from, int maxCount, long maxBytes = long.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(from, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        // Room for what the log holds from there (a batch of the tail is a few entries, not the count allowed).
        var batch = new ReadBatch(maxCount, maxBytes, expected: LastIndex - from + 1);
        var next = from;
        while (!batch.Full)
        {
            IndexMark[] route;
            Segment[] segments;
            int count;
            lock (_gate)
            {
                if (next > _state.LastIndex)
                {
                    break;
                }

                var cache = _state.Cache;
                if (next >= cache.FirstIndex)
                {
                    while (cache.TryGet(next, out var entry, out var bytes) && batch.TryAdd(entry, bytes))
                    {
                        next++;
                    }

                    break;
                }

                count = (int)Math.Min(Math.Min(batch.Room, EntriesPerRead), Math.Min(cache.FirstIndex, _state.LastIndex + 1) - next);
                route = _state.Index.Route(next, next + count - 1);
                segments = [.. _segments];
            }

            next += ReadFromFiles(next, count, route, segments, batch);
        }

        return batch.Entries;
    }

    /// <summary>Stops the flusher after a last fsync (with <see cref="FsyncMode.Always"/>) and closes the files.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = _stopping = true;
        }

        _wake.Set();
        _flusher?.Join();
        _durability.Fail(new ObjectDisposedException(nameof(FileLogStore)));
        foreach (var segment in _segments)
        {
            segment.Dispose();
        }

        _lockFile.Dispose();
        _wake.Dispose();
    }

    /// <summary>
    /// With group commit, segments are filled with zeros ahead of their end, up to their size, so that each fsync
    /// writes over space the file already has (see <see cref="Segment"/>); without fsyncs that would only cost writes.
    /// </summary>
    private long ZeroAheadTo => _options.Fsync == FsyncMode.Always ? _options.SegmentBytes : 0;

    private T Locked<T>(Func<T> read)
    {
        lock (_gate)
        {
            return read();
        }
    }

    /// <summary>
    /// Makes a change under the lock (refused once the store is faulted or disposed); a write that fails faults the
    /// store. Then wakes the flusher, or, without fsync, counts what was written as durable and says so at once.
    /// </summary>
    private void Change(Action change)
    {
        IOException? failed = null;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_durability.Failure is { } fault)
            {
                throw new IOException("The log store failed earlier and takes no more changes.", fault);
            }

            try
            {
                change();
            }
            catch (IOException e)
            {
                failed = e;
            }

            Volatile.Write(ref _lastIndex, _state.LastIndex);
            if (_flusher is null)
            {
                _durability.MoveTo(_state.LastIndex);
            }
        }

        if (failed is not null)
        {
            _durability.Fail(failed);
            ExceptionDispatchInfo.Throw(failed);
        }

        if (_flusher is null)
        {
            _durability.Publish(DurableIndexChanged);
        }
        else
        {
            _wake.Set();
        }
    }

    private void Write(RecordType type, long number = 0, string? text = null)
    {
        _scratch.ResetWrittenCount();
        RecordFrame.Write(_scratch, type, number, text: text);
        WriteScratch();
    }

    /// <summary>Writes the scratch buffer at the end of the current segment, first rolling to a new one if it is full.</summary>
    private (int Segment, long Offset) WriteScratch()
    {
        var segment = _segments[^1];
        if (segment.Length >= _options.SegmentBytes)
        {
            segment = Segment.Open(_directory, _segments.Count, segment.Number + 1, ZeroAheadTo);
            _segments.Add(segment);
            _directoryDirty = true;
        }

        return (segment.Ordinal, segment.Append(_scratch.WrittenSpan));
    }

    private void FlushLoop()
    {
        while (true)
        {
            _wake.WaitOne();
            bool stopping;
            lock (_gate)
            {
                stopping = _stopping;
            }

            FlushRound();
            if (stopping)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Runs one round of <see cref="FlushOnce"/>. Rounds never overlap, so a round that starts after a write returned
    /// has made it durable when it ends (an earlier round that took the write's segment ended before it). A failure
    /// faults the store and is returned.
    /// </summary>
    private IOException? FlushRound()
    {
        lock (_flushRound)
        {
            try
            {
                FlushOnce();
                return null;
            }
            catch (Exception e)
            {
                var failure = e as IOException ?? new IOException("The log store's flusher failed.", e);
                _durability.Fail(failure);
                return failure;
            }
        }
    }

    /// <summary>
    /// Fsyncs the segments written since the last round (and the directory, when a segment was created), then counts
    /// as durable every entry that was written before the round began and not truncated since.
    /// </summary>
    private void FlushOnce()
    {
        Segment[] dirty;
        long written;
        bool directory;
        lock (_gate)
        {
            if (_durability.Failure is not null)
            {
                return;
            }

            dirty = [.. _segments.Where(s => s.Dirty)];
            foreach (var segment in dirty)
            {
                segment.Dirty = false;
            }

            (written, _truncatedFrom, directory, _directoryDirty) = (_state.LastIndex, long.MaxValue, _directoryDirty, false);
        }

        if (directory)
        {
            DirectorySync.Flush(_directory);
        }

        foreach (var segment in dirty)
        {
            FlushToDisk(segment.Handle);
            Interlocked.Increment(ref _fsyncCount);
        }

        lock (_gate)
        {
            _durability.MoveTo(Math.Max(_durability.Index, Math.Min(written, _truncatedFrom - 1)));
        }

        _durability.Publish(DurableIndexChanged);
    }

    /// <summary>Reads <paramref name="count"/> entries from <paramref name="first"/> on into the batch, along the route; returns how many it took.</summary>
    private static int ReadFromFiles(long first, int count, IndexMark[] route, Segment[] segments, ReadBatch batch)
    {
        using var walk = new EntryWalk(route, segments);
        while (walk.NextIndex < first + count)
        {
            var index = walk.NextIndex;
            var record = walk.Next();
            if (index >= first && !batch.TryAdd(new LogEntry(index, Encoding.UTF8.GetString(record.Text), record.Second), record.Text.Length))
            {
                return (int)(index - first);
            }
        }

        return count;
    }
}
