namespace ReplicatedLog.Tests.Support;

/// <summary>A fresh directory under the system's temp folder, removed (with everything in it) on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string purpose = "store")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"replicatedlog-{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone.
        }
    }
}
