using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using ReplicatedLog.AppHost.Hosting.Runtime;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Processes;

/// <summary>The AppHost as a user runs it: no child outlives it, however it is stopped.</summary>
public sealed class AppHostProcessTests
{
    private static readonly string[] Resources = ["master", "secondary-1", "secondary-2"];

    [Fact]
    public async Task StartedWithDotnetRunAndStoppedWithCtrlCItStopsEveryChildCleanlyAndLeavesNone()
    {
        var port = FreePort.Block(3);
        using var data = new TempDirectory("apphost");
        using var appHost = ChildProcess.StartInOwnGroup("dotnet",
            ["run", "--no-build", "--project", "ReplicatedLog.AppHost", "--", "--base-port", $"{port}", $"--AppHost:DataDirectory={data.Path}"],
            RepositoryRoot());
        var children = await appHost.WaitForResourceTableAsync(Resources);
        Assert.All(children, child =>
        {
            Assert.True(ChildProcess.IsServiceAlive(child.Value), $"{child.Key} ({child.Value}) is not a running service");
            // The recorded pid leads a group of its own: the service itself, out of reach of the terminal's Ctrl+C.
            Assert.Equal(child.Value, ChildProcess.ProcessGroupOf(child.Value));
            Assert.NotEqual(ChildProcess.ProcessGroupOf(appHost.Id), ChildProcess.ProcessGroupOf(child.Value));
        });

        appHost.SignalGroup(Signals.SIGINT); // what Ctrl+C on a terminal does
        await appHost.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        var report = string.Join(Environment.NewLine, appHost.Output.TakeLast(20));
        Assert.True(appHost.Process.ExitCode == 0, $"exit code {appHost.Process.ExitCode}; last output:{Environment.NewLine}{report}");
        Assert.All(children, child => Assert.False(ChildProcess.IsServiceAlive(child.Value), $"{child.Key} ({child.Value}) outlived the AppHost"));
        Assert.DoesNotContain(appHost.Output, l => l.Contains("exited on its own", StringComparison.Ordinal));
        Assert.All(Resources, name => Assert.True(appHost.Output.Contains($"apphost | {name}: stopped (exit code 0)"),
            $"no clean stop reported for {name}; last output:{Environment.NewLine}{report}"));
        Assert.Contains("apphost | Clean stop: every resource that ran exited on SIGTERM within the grace period.", appHost.Output);
    }

    [Fact]
    public async Task KilledWithSigkillItsChildrenAreGoneWithinSeconds()
    {
        using var data = new TempDirectory("apphost");
        var (appHost, children) = await StartBuiltAppHostAsync(data);
        using var _ = appHost;

        appHost.Signal(Signals.SIGKILL); // the AppHost alone: it gets no chance to stop anything
        await appHost.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        await Eventually.TrueAsync("every child to be gone", () => children.Values.All(pid => !ChildProcess.IsServiceAlive(pid)),
            TimeSpan.FromSeconds(10), () => string.Join(", ", children.Where(c => ChildProcess.IsServiceAlive(c.Value)).Select(c => c.Key)));
    }

    [Fact]
    public async Task APortAlreadyTakenIsNamedInAClearErrorAndNothingStarts()
    {
        var port = FreePort.Block(3);
        using var squatter = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port + 1);
        squatter.Start();
        var appHostDll = typeof(ReplicatedLog.AppHost.Program).Assembly.Location;
        using var appHost = ChildProcess.StartInOwnGroup("dotnet", [appHostDll, "--base-port", $"{port}"], AppContext.BaseDirectory);

        await appHost.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, appHost.Process.ExitCode);
        Assert.Contains(appHost.Output, l => l.Contains($"port {port + 1} (for secondary-1) is already in use", StringComparison.Ordinal));
        Assert.DoesNotContain(appHost.Output, l => l.Contains("Exception", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ABadArgumentIsOneLineOnStandardErrorAndExitCode2NotAStackTrace()
    {
        var appHostDll = typeof(ReplicatedLog.AppHost.Program).Assembly.Location;
        using var appHost = ChildProcess.StartInOwnGroup("dotnet", [appHostDll, "--secondaries", "abc"], AppContext.BaseDirectory);

        await appHost.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        var output = string.Join(Environment.NewLine, appHost.Output);
        Assert.True(appHost.Process.ExitCode == 2, $"exit code {appHost.Process.ExitCode}; output:{Environment.NewLine}{output}");
        // The whole output is this one line on standard error: no "Unhandled exception", no stack trace.
        Assert.Equal(["apphost | --secondaries takes a whole number; got 'abc'."], appHost.Output);
        Assert.Equal(appHost.Output, appHost.ErrorOutput);
    }

    [Fact]
    public async Task AChildThatExitsOnItsOwnIsReportedTheOthersKeepRunningAndTheStopAfterIsNotCalledClean()
    {
        using var data = new TempDirectory("apphost");
        var (appHost, children) = await StartBuiltAppHostAsync(data);
        using var _ = appHost;

        Signals.Send(children["secondary-2"], Signals.SIGKILL);

        await Eventually.TrueAsync("the AppHost to report secondary-2", () => appHost.Output.Any(l =>
            l.Contains("secondary-2 exited on its own with code 137", StringComparison.Ordinal)), TimeSpan.FromSeconds(30),
            () => string.Join(Environment.NewLine, appHost.Output.TakeLast(10)));
        Assert.True(ChildProcess.IsServiceAlive(children["master"]));
        Assert.True(ChildProcess.IsServiceAlive(children["secondary-1"]));

        appHost.SignalGroup(Signals.SIGINT);
        await appHost.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var report = string.Join(Environment.NewLine, appHost.Output.TakeLast(10));
        Assert.True(appHost.Output.Contains("apphost | secondary-1: stopped (exit code 0)"), report);
        Assert.True(appHost.Output.Contains("apphost | secondary-2: had exited on its own (exit code 137)"), report);
        Assert.True(appHost.Output.Contains("apphost | Not a clean stop: secondary-2 had exited on its own."), report);
    }

    [Fact]
    public async Task ASecondaryStartedByHandWithThePrintedTokenJoinsTheAppHostsClusterAndCatchesUp()
    {
        using var data = new TempDirectory("apphost");
        var (appHost, _) = await StartBuiltAppHostAsync(data);
        using var _ = appHost;
        const string prefix = "Cluster token for this run (a node you start by hand needs it as Cluster__Token): ";
        // The token line comes a few writes after the table's rows, which may be all the test has read so far.
        var tokenLine = await Eventually.MatchAsync("the cluster token under the table",
            () => Task.FromResult(appHost.Output.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))), l => l is not null,
            describe: _ => string.Join(Environment.NewLine, appHost.Output.TakeLast(10)));
        var token = tokenLine![prefix.Length..];
        var master = appHost.Output.First(l => l.StartsWith("master ", StringComparison.Ordinal) && l.Contains(" Running ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[2];
        string[] written = ["written before the join 1", "written before the join 2"];
        await TestCluster.WaitForWritableAsync(new Uri(master), writable: true);
        foreach (var message in written)
        {
            await TestCluster.AppendOkAsync(new Uri(master), message, w: 1);
        }

        var port = FreePort.Next();
        var joiner = ReplicatedLog.Secondary.SecondaryApp.Build([], b =>
        {
            b.WebHost.UseUrls($"http://127.0.0.1:{port}");
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["services:master:http:0"] = master,
                ["Cluster:Token"] = token,
                ["OTEL_SERVICE_NAME"] = "secondary-by-hand",
                ["Logging:LogLevel:Default"] = "Error",
            });
        });
        await joiner.StartAsync();
        try
        {
            await Eventually.MatchAsync("the hand-started secondary to be Healthy on the master",
                () => TestCluster.HealthAsync(new Uri(master)),
                h => h.GetProperty("secondaries").EnumerateArray().Any(s =>
                    s.GetProperty("name").GetString() == "secondary-by-hand" && s.GetProperty("status").GetString() == "Healthy"),
                describe: h => h.ToString());
            var read = await Eventually.MatchAsync("the hand-started secondary to read what the cluster had",
                () => TestCluster.MessagesAsync(new Uri($"http://127.0.0.1:{port}/")), m => m.Count >= written.Length,
                describe: m => $"[{string.Join(", ", m)}]");
            Assert.Equal(written, read);
        }
        finally
        {
            await joiner.StopAsync();
            await joiner.DisposeAsync();
        }
    }

    /// <summary>The AppHost from its build output (as a user's second run would), once its table is printed.</summary>
    private static async Task<(ChildProcess AppHost, Dictionary<string, int> Children)> StartBuiltAppHostAsync(TempDirectory data)
    {
        var port = FreePort.Block(3);
        var appHostDll = typeof(ReplicatedLog.AppHost.Program).Assembly.Location;
        var appHost = ChildProcess.StartInOwnGroup("dotnet",
            [appHostDll, "--base-port", $"{port}", $"--AppHost:DataDirectory={data.Path}"], AppContext.BaseDirectory);
        try
        {
            return (appHost, await appHost.WaitForResourceTableAsync(Resources));
        }
        catch
        {
            appHost.Dispose();
            throw;
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ReplicatedLog.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("ReplicatedLog.sln not found above the test binaries.");
    }
}
