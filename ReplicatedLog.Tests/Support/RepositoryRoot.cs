namespace ReplicatedLog.Tests.Support;

/// <summary>The repository the tests were built from: the folder above the test binaries that holds ReplicatedLog.sln.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "ReplicatedLog.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("ReplicatedLog.sln not found above the test binaries.");
    }
}
