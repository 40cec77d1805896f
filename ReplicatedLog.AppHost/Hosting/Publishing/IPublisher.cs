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
public sealed record PublishTarget(string OutputPath, string SourceRoot);

/// <summary>One file of a deployment: its full path and its text.</summary>
public sealed record PublishedFile(string Path, string Content);
