using ReplicatedLog.AppHost.Hosting;
using ReplicatedLog.AppHost.Hosting.Publishing;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Publishing;

/// <summary>
/// What holds for every publisher in <see cref="Publishers.All"/>: the committed files are what the AppHost writes now,
/// no secret value of the run is ever written, and the command line says what is wrong before anything is written.
/// </summary>
public sealed class PublishedFilesTests
{
    public static TheoryData<string> PublisherNames => [.. Publishers.Names];

    [Theory]
    [MemberData(nameof(PublisherNames))]
    public void TheCommittedFilesAreWhatThePublisherWritesNow(string name)
    {
        var committed = Publishers.All.Single(o => o.Publisher.Name == name);
        var published = Published.Render(name, committed.Path);
        var regenerate = $"Regenerate from the repository root with: {Publishers.Command(name, committed.Path)}";

        foreach (var file in published.Files)
        {
            var relative = PublishTarget.Relative(Published.SourceRoot, file.Path);
            Assert.True(File.Exists(file.Path), $"{relative} is not committed. {regenerate}");
            var text = File.ReadAllText(file.Path);
            Assert.True(text == file.Content, $"{relative} differs from what the {name} publisher writes now; {FirstDifference(text, file.Content)}. {regenerate}");
        }

        if (Directory.Exists(published.Target.OutputPath))
        {
            // What the folder's own .gitignore names is the user's (kubernetes: secrets.env), never the publisher's.
            var ignore = Path.Combine(published.Target.OutputPath, ".gitignore");
            var users = File.Exists(ignore)
                ? File.ReadAllLines(ignore).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => Path.Combine(published.Target.OutputPath, l)).ToHashSet()
                : [];
            var stale = Directory.EnumerateFiles(published.Target.OutputPath, "*", SearchOption.AllDirectories)
                .Except(published.Files.Select(f => f.Path)).Where(f => !users.Contains(f))
                .Select(f => PublishTarget.Relative(Published.SourceRoot, f)).ToList();
            Assert.True(stale.Count == 0, $"The {name} publisher no longer writes {string.Join(", ", stale)}: delete it, or {regenerate}");
        }
    }

    [Theory]
    [MemberData(nameof(PublisherNames))]
    public void NoSecretOfTheRunIsWrittenAndTheOutputIsTheSameEveryTime(string name)
    {
        var path = Publishers.All.Single(o => o.Publisher.Name == name).Path;
        var first = Published.Render(name, path);
        var second = Published.Render(name, path);

        Assert.NotEmpty(first.Builder.Parameters);
        Assert.All(first.Builder.Parameters.Where(p => p.Secret), secret =>
            Assert.All(first.Files, file => Assert.DoesNotContain(secret.Value, file.Content)));
        Assert.Equal(first.Files, second.Files);
        Assert.All(first.Files, file => Assert.DoesNotContain(Published.SourceRoot, file.Content));
    }

    [Theory]
    [InlineData(new[] { "--publisher", "helm", "--output-path", "x" }, "No publisher is named 'helm': the publishers are manifest, compose, kubernetes")]
    [InlineData(new[] { "--publisher", "compose" }, "--publisher compose needs --output-path PATH, where to write its files (the publishers are manifest, compose, kubernetes")]
    [InlineData(new[] { "--output-path", "x" }, "--output-path x needs --publisher NAME, what to write (the publishers are manifest, compose, kubernetes")]
    public void APublisherWithoutAnOutputPathOrNoneKnownIsAnErrorThatNamesThePublishers(string[] args, string error)
    {
        Assert.StartsWith(error, Assert.Throws<ArgumentException>(() => ClusterHostBuilder.Create(args)).Message);
    }

    [Fact]
    public async Task TheAppHostWritesThePublishersFilesAndSaysWhichInsteadOfRunningAndAnUnknownOneIsExitCode2()
    {
        using var folder = new TempDirectory("publish");
        var appHostDll = typeof(ReplicatedLog.AppHost.Program).Assembly.Location;

        using (var unknown = ChildProcess.StartInOwnGroup("dotnet", [appHostDll, "--publisher", "helm", "--output-path", "out"], folder.Path))
        {
            await unknown.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(unknown.Process.ExitCode == 2, $"exit code {unknown.Process.ExitCode}: {string.Join(Environment.NewLine, unknown.Output)}");
            Assert.StartsWith("apphost | No publisher is named 'helm': the publishers are manifest, compose, kubernetes", Assert.Single(unknown.ErrorOutput));
        }

        using var appHost = ChildProcess.StartInOwnGroup("dotnet", [appHostDll, "--publisher", "compose", "--output-path", "out/compose", "--secondaries", "4"], folder.Path);
        await appHost.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(appHost.Process.ExitCode == 0, $"exit code {appHost.Process.ExitCode}: {string.Join(Environment.NewLine, appHost.Output)}");
        Assert.Equal(["apphost | compose: wrote out/compose/docker-compose.yaml", "apphost | compose: wrote out/compose/.env"], appHost.Output);
        Assert.Contains("  secondary-4:\n", await File.ReadAllTextAsync(Path.Combine(folder.Path, "out", "compose", "docker-compose.yaml")));
    }

    /// <summary>Where two texts first differ: the line number and both lines, so a failure shows what drifted.</summary>
    private static string FirstDifference(string committed, string generated)
    {
        var (a, b) = (committed.Split('\n'), generated.Split('\n'));
        var line = Enumerable.Range(0, Math.Min(a.Length, b.Length)).FirstOrDefault(i => a[i] != b[i], Math.Min(a.Length, b.Length));
        return $"first difference at line {line + 1}: committed «{(line < a.Length ? a[line] : "(end of file)")}», generated «{(line < b.Length ? b[line] : "(end of file)")}»";
    }
}
