using System.Net;
using System.Text.Json;
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
            ["run", "--no-build", "--project", "ReplicatedLog.AppHost", "--", "--base-port", $"{port}", $"--AppHost:DataDirectory={data.Path}", "--no-dashboard"],
            RepositoryRoot.Path);
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
        using var appHost = ChildProcess.StartInOwnGroup("dotnet", [appHostDll, "--base-port", $"{port}", "--no-dashboard"], AppContext.BaseDirectory);

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

    [Fact]
    public async Task WithItsDashboardItPrintsTheLoginLineAndEveryServiceSendsItsTelemetryThereWithTheDashboardsKey()
    {
        using var data = new TempDirectory("apphost");
        var dashboardPort = FreePort.Block(3);
        var (appHost, children) = await StartBuiltAppHostAsync(data, dashboardPort);
        using var _ = appHost;

        var login = await OutputLineAsync(appHost, "Login to the dashboard at ");
        Assert.Matches($"^Login to the dashboard at http://localhost:{dashboardPort}/login\\?t=[0-9a-f]{{32}}$", login);
        var dashboard = ChildProcess.EnvironmentOf(children["dashboard"]);
        Assert.Equal(("BrowserToken", login[(login.IndexOf("?t=", StringComparison.Ordinal) + 3)..]),
            (dashboard["Dashboard__Frontend__AuthMode"], dashboard["Dashboard__Frontend__BrowserToken"]));
        Assert.Equal("ApiKey", dashboard["Dashboard__Otlp__AuthMode"]);
        var key = dashboard["Dashboard__Otlp__PrimaryApiKey"];
        var otlpHttp = $"http://localhost:{dashboardPort + 2}";
        Assert.Equal(otlpHttp, dashboard["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"]);
        Assert.DoesNotContain("OTEL_EXPORTER_OTLP_ENDPOINT", dashboard.Keys);
        Assert.All(Resources, name =>
        {
            var service = ChildProcess.EnvironmentOf(children[name]);
            Assert.Equal((otlpHttp, "http/protobuf", $"x-otlp-api-key={key}", $"service.instance.id={name}", name),
                (service["OTEL_EXPORTER_OTLP_ENDPOINT"], service["OTEL_EXPORTER_OTLP_PROTOCOL"], service["OTEL_EXPORTER_OTLP_HEADERS"],
                    service["OTEL_RESOURCE_ATTRIBUTES"], service["OTEL_SERVICE_NAME"]));
            Assert.Equal(("1000", "1000", "1000"),
                (service["OTEL_BSP_SCHEDULE_DELAY"], service["OTEL_BLRP_SCHEDULE_DELAY"], service["OTEL_METRIC_EXPORT_INTERVAL"]));
        });

        // The running dashboard takes telemetry with the services' header, and refuses it without.
        Assert.Equal(HttpStatusCode.OK, await ExportNothingAsync(otlpHttp, key));
        Assert.Equal(HttpStatusCode.Unauthorized, await ExportNothingAsync(otlpHttp, key: null));
        // And, once a browser logged in with the printed link, it shows the AppHost's resources (from the resource service).
        using var api = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() })
        {
            BaseAddress = new Uri($"http://localhost:{dashboardPort}/"),
            Timeout = TimeSpan.FromSeconds(20),
        };
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("api/resources")).StatusCode);
        Assert.True((await api.GetAsync(new Uri(login["Login to the dashboard at ".Length..]))).IsSuccessStatusCode);
        await Eventually.MatchAsync("the dashboard to list the four resources Running", async () =>
                JsonDocument.Parse(await api.GetStringAsync("api/resources")).RootElement.GetProperty("resources").EnumerateArray()
                    .Select(r => $"{r.GetProperty("name").GetString()} {r.GetProperty("state").GetString()}").Order().ToList(),
            running => running.SequenceEqual(["dashboard Running", "master Running", "secondary-1 Running", "secondary-2 Running"]),
            describe: running => string.Join(", ", running));
    }

    [Fact]
    public async Task WithAnonymousAccessAllowedItPrintsThePlainDashboardUrlAndGivesNoKeys()
    {
        using var data = new TempDirectory("apphost");
        var dashboardPort = FreePort.Block(3);
        var (appHost, children) = await StartBuiltAppHostAsync(data, dashboardPort, secondaries: 0,
            environment: new Dictionary<string, string> { ["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = "true" });
        using var _ = appHost;

        Assert.Equal($"Dashboard (no login: ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true): http://localhost:{dashboardPort}/",
            await OutputLineAsync(appHost, "Dashboard (no login"));
        Assert.DoesNotContain(appHost.Output, l => l.StartsWith("Login to the dashboard", StringComparison.Ordinal));
        var dashboard = ChildProcess.EnvironmentOf(children["dashboard"]);
        Assert.Equal(("Unsecured", "Unsecured", "Unsecured"), (dashboard["Dashboard__Frontend__AuthMode"], dashboard["Dashboard__Otlp__AuthMode"],
            dashboard["Dashboard__ResourceServiceClient__AuthMode"]));
        Assert.DoesNotContain(dashboard.Keys, k => k.EndsWith("ApiKey", StringComparison.Ordinal) || k.EndsWith("BrowserToken", StringComparison.Ordinal));
        var master = ChildProcess.EnvironmentOf(children["master"]);
        Assert.Equal($"http://localhost:{dashboardPort + 2}", master["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.DoesNotContain("OTEL_EXPORTER_OTLP_HEADERS", master.Keys);
        Assert.Equal(HttpStatusCode.OK, await ExportNothingAsync($"http://localhost:{dashboardPort + 2}", key: null));
    }

    /// <summary>The first line of the AppHost's output that starts with <paramref name="prefix"/>, once it is written.</summary>
    private static async Task<string> OutputLineAsync(ChildProcess appHost, string prefix) =>
        (await Eventually.MatchAsync($"a line '{prefix}…'",
            () => Task.FromResult(appHost.Output.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))), l => l is not null,
            describe: _ => string.Join(Environment.NewLine, appHost.Output.TakeLast(10))))!;

    /// <summary>Sends the dashboard an empty OTLP/HTTP trace export (a valid request with no spans): 200 if it takes telemetry with this key.</summary>
    private static async Task<HttpStatusCode> ExportNothingAsync(string otlpHttp, string? key)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{otlpHttp}/v1/traces")
        {
            Content = new ByteArrayContent([]) { Headers = { ContentType = new("application/x-protobuf") } },
        };
        if (key is not null)
        {
            request.Headers.Add("x-otlp-api-key", key);
        }

        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>
    /// The AppHost from its build output (as a user's second run would), once its table is printed: without its
    /// dashboard, unless <paramref name="dashboardPort"/> gives the first of three free ports for it.
    /// </summary>
    private static async Task<(ChildProcess AppHost, Dictionary<string, int> Children)> StartBuiltAppHostAsync(
        TempDirectory data, int? dashboardPort = null, int secondaries = 2, IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = FreePort.Block(secondaries + 1);
        var appHostDll = typeof(ReplicatedLog.AppHost.Program).Assembly.Location;
        string[] dashboard = dashboardPort is { } p
            ? ["--dashboard-port", $"{p}", $"--AppHost:Dashboard:OtlpGrpcPort={p + 1}", $"--AppHost:Dashboard:OtlpHttpPort={p + 2}"]
            : ["--no-dashboard"];
        var appHost = ChildProcess.StartInOwnGroup("dotnet",
            [appHostDll, "--base-port", $"{port}", "--secondaries", $"{secondaries}", $"--AppHost:DataDirectory={data.Path}", .. dashboard],
            AppContext.BaseDirectory, environment);
        try
        {
            string[] resources = [.. dashboardPort is null ? [] : new[] { "dashboard" }, "master", .. Enumerable.Range(1, secondaries).Select(k => $"secondary-{k}")];
            return (appHost, await appHost.WaitForResourceTableAsync(resources));
        }
        catch
        {
            appHost.Dispose();
            throw;
        }
    }
}
