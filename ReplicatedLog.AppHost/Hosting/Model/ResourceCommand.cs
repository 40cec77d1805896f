namespace ReplicatedLog.AppHost.Hosting.Model;

/// <summary>What a resource runs: a project the AppHost references, or any program. Resolved to a file only when it starts.</summary>
public abstract record ResourceCommand
{
    private ResourceCommand()
    {
    }

    /// <summary>The build output of a project the AppHost references (<see cref="ServiceBinaries"/>).</summary>
    public sealed record Project(string Name) : ResourceCommand;

    /// <summary>A program, its arguments and the directory it runs in.</summary>
    public sealed record Executable(string FileName, IReadOnlyList<string> Arguments, string WorkingDirectory) : ResourceCommand;
}
