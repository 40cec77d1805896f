using ReplicatedLog.Core.Storage;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Storage;

/// <summary>The file store keeps the same contract as the in-memory one, in each fsync mode.</summary>
public abstract class FileLogStoreContract(FsyncMode fsync) : LogStoreContract, IDisposable
{
    private readonly TempDirectory _root = new();

    protected override ILogStore OpenNew(StorageOptions options)
    {
        options.Path = Path.Combine(_root.Path, Guid.NewGuid().ToString("N"));
        options.Fsync = fsync;
        return new FileLogStore(options.Path, options);
    }

    void IDisposable.Dispose()
    {
        try
        {
            Dispose();
        }
        finally
        {
            _root.Dispose();
        }
    }
}

public sealed class FileLogStoreWithFsyncTests() : FileLogStoreContract(FsyncMode.Always);

public sealed class FileLogStoreWithoutFsyncTests() : FileLogStoreContract(FsyncMode.None);
