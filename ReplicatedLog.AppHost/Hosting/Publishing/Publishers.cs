using System.Text;
using ReplicatedLog.AppHost.Hosting.Publishing.Compose;
using ReplicatedLog.AppHost.Hosting.Publishing.Manifest;

namespace ReplicatedLog.AppHost.Hosting.Publishing;

/// <summary>
/// The publishers <c>--publisher NAME</c> picks from, each with where the repository keeps its output: written with the
/// default settings and committed, so a test can regenerate it and fail when it drifts.
/// </summary>
public static class Publishers
{
    public static IReadOnlyList<CommittedOutput> All { get; } =
    [
        new(new ManifestPublisher(), "aspire-manifest.json"),
        new(new ComposePublisher(), "deploy/compose"),
        new(new KubernetesPublisher(), "deploy/kubernetes"),
    ];

    public static IEnumerable<string> Names => All.Select(o => o.Publisher.Name);

    /// <summary>The command that writes <paramref name="publisher"/>'s files to <paramref name="outputPath"/>, run from the repository root.</summary>
    public static string Command(string publisher, string outputPath) =>
        $"dotnet run --project ReplicatedLog.AppHost -- --publisher {publisher} --output-path {outputPath}";

    /// <summary>
    /// Writes the topology's files with the publisher the settings name, to where they say, and tells
    /// <paramref name="output"/> each file it wrote. Nothing runs and nothing is built.
    /// </summary>
    public static int Publish(ClusterHostBuilder builder, TextWriter output)
    {
        var settings = builder.Settings;
        var publisher = All.Single(o => o.Publisher.Name == settings.Publisher).Publisher;
        var target = PublishTarget.For(settings.OutputPath!);
        foreach (var file in publisher.Render(builder, target))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file.Path)!);
            File.WriteAllText(file.Path, file.Content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            output.WriteLine($"apphost | {publisher.Name}: wrote {PublishTarget.Relative(Environment.CurrentDirectory, file.Path)}");
        }

        return 0;
    }
}

/// <summary>A publisher, and where its output is committed, relative to the repository root (a file or a folder).</summary>
public sealed record CommittedOutput(IPublisher Publisher, string Path);
