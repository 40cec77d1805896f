using ReplicatedLog.Core.Log;
using ReplicatedLog.Core.Storage;

namespace ReplicatedLog.Microbenchmarks.Storage;

/// <summary>
/// A store of one <see cref="StoreKind"/>, opened as a node opens it (<see cref="LogStores.Open"/>, default options
/// otherwise); a file store in a temporary directory of its own, which <see cref="Dispose"/> removes.
/// </summary>
internal sealed class ScratchStore : IDisposable
{
    public const int MessageBytes = 128;

    public ScratchStore(StoreKind kind)
    {
        var options = new StorageOptions { Fsync = kind == StoreKind.FileFsyncAlways ? FsyncMode.Always : FsyncMode.None };
        if (kind != StoreKind.InMemory)
        {
            Directory = System.IO.Directory.CreateTempSubdirectory("replicatedlog-microbench-").FullName;
            options.Path = Directory;
        }

        Store = LogStores.Open(options);
    }

    /// <summary>What every entry holds: 128 bytes of text.</summary>
    public static string Message { get; } = new('x', MessageBytes);

    public ILogStore Store { get; }

    /// <summary>The directory of a file store; null for the store in memory.</summary>
    public string? Directory { get; }

    /// <summary><paramref name="count"/> entries of <see cref="Message"/> that continue the store's log.</summary>
    public LogEntry[] NextEntries(int count)
    {
        var first = Store.LastIndex + 1;
        var entries = new LogEntry[count];
        for (var i = 0; i < count; i++)
        {
            entries[i] = new LogEntry(first + i, Message, Generation: 1);
        }

        return entries;
    }

    public void Dispose()
    {
        Store.Dispose();
        if (Directory is not null)
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
