using ReplicatedLog.Core.Log;
using ReplicatedLog.Core.Storage;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Storage;

/// <summary>
/// A directory for one test and the file stores opened on it: <see cref="Open"/> opens (or reopens) the store there;
/// dispose closes every store, then removes the directory.
/// </summary>
public abstract class FileStoreFixture : IDisposable
{
    protected static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _directory = new();
    private readonly List<FileLogStore> _opened = [];

    protected string StorePath => Path.Combine(_directory.Path, "log");

    /// <summary>The segment files, in order.</summary>
    protected string[] SegmentFiles() => [.. Directory.GetFiles(StorePath, "segment-*.log").Order(StringComparer.Ordinal)];

    protected FileLogStore Open(
        FsyncMode fsync = FsyncMode.Always, long segmentBytes = 64L * 1024 * 1024, long cacheBytes = 4L * 1024 * 1024, int keyWindow = 100_000, int indexStride = 128)
    {
        var options = new StorageOptions
        {
            Path = StorePath, Fsync = fsync, SegmentBytes = segmentBytes, CacheBytes = cacheBytes, KeyWindow = keyWindow, IndexStride = indexStride,
        };
        var store = (FileLogStore)LogStores.Open(options);
        _opened.Add(store);
        return store;
    }

    protected static LogEntry[] Entries(long from, int count, string prefix = "m") =>
        [.. Enumerable.Range(0, count).Select(i => new LogEntry(from + i, $"{prefix}{from + i}"))];

    /// <summary>Appends one entry as the owners do, its index given out under their lock; returns it.</summary>
    protected static LogEntry AppendUnder(Lock gate, ILogStore store, string message)
    {
        lock (gate)
        {
            var entry = new LogEntry(store.LastIndex + 1, message);
            store.Append([entry]);
            return entry;
        }
    }

    public void Dispose()
    {
        try
        {
            foreach (var store in _opened)
            {
                store.Dispose();
            }
        }
        finally
        {
            _directory.Dispose();
            GC.SuppressFinalize(this);
        }
    }
}
