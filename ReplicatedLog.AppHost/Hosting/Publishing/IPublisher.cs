using System.Reflection;

namespace ReplicatedLog.AppHost.Hosting.Publishing;

/// <summary>
/// A deployment format the AppHost writes its topology in, instead of running it
/// (<c>--publisher NAME --output-path PATH</c>), in the spirit of Aspire's publishers. It reads the resources as data,
/// their environments evaluated in <see cref="Model.ExecutionMode.Publish"/> (references and secrets as placeholders),
/// and returns the files to write; it writes nothing itself, so a test can compare them with the committed ones.
/// </summary>
public interface IPublisher
{
    /// <summary>What <c>--publisher</c> names it by: <c>manifest</c>, <c>compose</c>, <c>kubernetes</c>.</summary>
    string Name { get; }

    /// <summary>The files of the deployment, each with its full path under <see cref="PublishTarget.OutputPath"/> (or that path itself).</summary>
    IReadOnlyList<PublishedFile> Render(ClusterHostBuilder builder, PublishTarget target);
}

/// <summary>
/// Where a publisher writes (<see cref="OutputPath"/>, a full path: a folder, or for the manifest its file), and the
/// repository root the images build from (<see cref="SourceRoot"/>, a full path), so the files can name it relative to
/// where they are.
/// </summary>
public sealed record PublishTarget(string OutputPath, string SourceRoot)
{
    /// <summary>
    /// <c>--output-path PATH</c> (relative to the current directory), with the repository root this AppHost was built
    /// from (embedded at build time by the .csproj).
    /// </summary>
    public static PublishTarget For(string outputPath) => new(Path.GetFullPath(outputPath), BuiltSourceRoot);

    /// <summary>The repository root this AppHost was built from.</summary>
    public static string BuiltSourceRoot => typeof(PublishTarget).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .FirstOrDefault(a => a.Key == "SourceRoot")?.Value
        ?? throw new InvalidOperationException("The AppHost was built without its SourceRoot.");

    /// <summary><see cref="OutputPath"/> as seen from the repository root: <c>deploy/compose</c>.</summary>
    public string OutputPathInSource => Relative(SourceRoot, OutputPath);

    /// <summary>The folder of a project the AppHost references (<c>ReplicatedLog.Master</c>): named as the project, under the root.</summary>
    public string ProjectDirectory(string project) => Path.Combine(SourceRoot, project);

    /// <summary><paramref name="path"/> relative to <paramref name="directory"/>, with <c>/</c> whatever the platform, so a committed file is the same everywhere.</summary>
    public static string Relative(string directory, string path) => Path.GetRelativePath(directory, path).Replace('\\', '/');
}

/// <summary>One file of a deployment: its full path and its text.</summary>
public sealed record PublishedFile(string Path, string Content);
