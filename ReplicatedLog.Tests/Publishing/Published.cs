using ReplicatedLog.AppHost.Hosting;
using ReplicatedLog.AppHost.Hosting.Publishing;

namespace ReplicatedLog.Tests.Publishing;

/// <summary>A publisher's files rendered in memory, as <c>--publisher</c> writes them, with the model they came from.</summary>
public sealed record Published(ClusterHostBuilder Builder, PublishTarget Target, IReadOnlyList<PublishedFile> Files)
{
    /// <summary>The repository root this test was built from: where the committed files are.</summary>
    public static string SourceRoot => PublishTarget.BuiltSourceRoot;

    /// <summary>
    /// Renders <paramref name="publisher"/>'s files for <paramref name="outputPath"/> (relative to the repository root)
    /// from the AppHost's model with <paramref name="args"/>, as the AppHost run from the root would write them.
    /// </summary>
    public static Published Render(string publisher, string outputPath, params string[] args)
    {
        var builder = ReplicatedLog.AppHost.Program.Model(ClusterHostBuilder.Create(["--publisher", publisher, "--output-path", outputPath, .. args]));
        var target = new PublishTarget(Path.Combine(SourceRoot, outputPath), SourceRoot);
        return new(builder, target, Publishers.All.Single(o => o.Publisher.Name == publisher).Publisher.Render(builder, target));
    }

    /// <summary>The text of the file named <paramref name="fileName"/>.</summary>
    public string this[string fileName] => Files.Single(f => Path.GetFileName(f.Path) == fileName).Content;
}
