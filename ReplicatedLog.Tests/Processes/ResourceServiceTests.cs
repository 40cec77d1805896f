using System.Net;
using System.Text.Json;
using ReplicatedLog.AppHost.Hosting;
using ReplicatedLog.AppHost.Hosting.Dashboard;
using ReplicatedLog.Core.Contracts;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Processes;

/// <summary>
/// The AppHost's resource service on small real processes (<c>/bin/sh</c>): what it streams, and the commands the
/// dashboard forwards to it. Every process is stopped when the host is disposed, also when a test fails.
/// </summary>
public sealed class ResourceServiceTests
{
    private const string Key = "resource-service-test-key";
    private static readonly string WorkingDirectory = AppContext.BaseDirectory;

    [Fact]
    public async Task AWatchGetsASnapshotThenAStateChangeAndAnOutputLineWithSecretsMasked()
    {
        var builder = ClusterHostBuilder.Create([]);
        var secret = builder.AddParameter("token", "s3cret-value", secret: true);
        builder.AddExecutable("greeter", "/bin/sh", WorkingDirectory, "-c", "echo hello from the child; exit 3")
            .WithEnvironment("Token", secret)
            .WithEnvironment("Header", $"x-key={secret.Value}")
            .WithEnvironment("Plain", "visible")
            .WithProperty("Delay", "0 ms");
        await using var host = builder.Build();
        await using var service = new ResourceService(host, Key, excluded: []);
        var url = await service.StartAsync();

        using (var watch = await ResourceWatch.OpenAsync(url, Key))
        {
            var snapshot = Assert.IsType<ResourcesSnapshot>(Assert.Single(await watch.ReadUntilAsync("the snapshot", _ => true)));
            var before = Assert.Single(snapshot.Resources);
            Assert.Equal(("greeter", "Executable", "NotStarted", "Delay", "0 ms"),
                (before.Name, before.Type, before.State, before.Properties[0].Name, before.Properties[0].Value));

            await host.Runner.StartAsync("greeter");
            var seen = await watch.ReadUntilAsync("greeter to exit", m => m is ResourceChanged { Resource.State: "Exited" });

            // Running comes once the runner sees the process started, which may be before or after its first line.
            Assert.Equal(["greeter Starting", "greeter Starting", "greeter 1: hello from the child", "greeter Exited (3, ExitedOnItsOwn)"],
                seen.Select(ResourceWatch.Describe).Where(m => m != "greeter Running"));
            var started = seen.OfType<ResourceChanged>().Last().Resource;
            Assert.NotNull(started.ProcessId);
            Assert.NotNull(started.StartedAt);
            var environment = started.Environment.ToDictionary(v => v.Name);
            Assert.Equal(new ResourceEnvironmentVariable("Token", null, true), environment["Token"]);
            Assert.Equal(new ResourceEnvironmentVariable("Header", null, true), environment["Header"]);
            Assert.Equal(new ResourceEnvironmentVariable("Plain", "visible", false), environment["Plain"]);
            Assert.DoesNotContain(seen, m => JsonSerializer.Serialize(m, ResourceServiceJsonContext.Default.ResourceServiceMessage).Contains("s3cret-value"));
        }

        // A watch that comes later gets the state as it is now and the lines already written, numbered as before.
        using var late = await ResourceWatch.OpenAsync(url, Key);
        Assert.Equal(["snapshot greeter Exited", "greeter 1: hello from the child"],
            (await late.ReadUntilAsync("the line written before", m => m is ResourceLogLine)).Select(ResourceWatch.Describe));
    }

    [Fact]
    public async Task AWatchWithoutTheKeyIsRefused()
    {
        var builder = ClusterHostBuilder.Create([]);
        builder.AddExecutable("idle", "/bin/sh", WorkingDirectory, "-c", "exit 0");
        await using var host = builder.Build();
        await using var service = new ResourceService(host, Key, excluded: []);
        var url = await service.StartAsync();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, ResourceServiceRoutes.Watch));
        request.Headers.Add(ResourceServiceRoutes.ApiKeyHeader, "not-the-key");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(IPAddress.Loopback.ToString(), url.Host);
    }

    [Fact]
    public async Task AStopSentThroughTheDashboardsApiStopsTheProcessAndTheDashboardShowsIt()
    {
        var builder = ClusterHostBuilder.Create(["--AppHost:GracePeriodMs=5000"]);
        builder.AddExecutable("sleeper", "/bin/sh", WorkingDirectory, "-c", "echo ready; exec sleep 600");
        await using var host = builder.Build();
        await using var service = new ResourceService(host, Key, excluded: []);
        var url = await service.StartAsync();
        await using var dashboard = await TestDashboard.StartAsync(
            "ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true", // the login is DashboardFrontendTests'
            $"Dashboard:ResourceServiceClient:Url={url}", $"Dashboard:ResourceServiceClient:ApiKey={Key}");
        using var api = new HttpClient { BaseAddress = dashboard.Frontend, Timeout = TimeSpan.FromSeconds(30) };
        await host.Runner.StartAsync("sleeper");
        var pid = host.Runner["sleeper"].ProcessId!.Value;
        await Eventually.MatchAsync("the dashboard to show sleeper Running and its line", () => SleeperAsync(api),
            s => s is { State: "Running" }, describe: s => s?.ToString() ?? "no sleeper");

        using var stop = await api.PostAsync("api/resources/sleeper/commands/stop", null);
        var answer = JsonSerializer.Deserialize(await stop.Content.ReadAsStringAsync(), ResourceServiceJsonContext.Default.ResourceView)!;

        Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        Assert.Equal(("Exited", "Stopped", 143), (answer.State, answer.Ending, answer.ExitCode)); // 128 + SIGTERM
        Assert.False(Directory.Exists($"/proc/{pid}"), $"sleeper ({pid}) still runs");
        await Eventually.MatchAsync("the dashboard to show sleeper Exited", () => SleeperAsync(api),
            s => s is { State: "Exited" }, describe: s => s?.ToString() ?? "no sleeper");
        var console = JsonDocument.Parse(await api.GetStringAsync("api/resources/sleeper/console")).RootElement;
        Assert.Equal("ready", console.GetProperty("lines")[0].GetProperty("text").GetString());

        using var unknownCommand = await api.PostAsync("api/resources/sleeper/commands/explode", null);
        using var unknownResource = await api.PostAsync("api/resources/nobody/commands/stop", null);
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.NotFound), (unknownCommand.StatusCode, unknownResource.StatusCode));
        Assert.All([unknownCommand, unknownResource], r => Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType));
    }

    private static async Task<ResourceView?> SleeperAsync(HttpClient api)
    {
        var list = JsonDocument.Parse(await api.GetStringAsync("api/resources")).RootElement;
        return list.GetProperty("resources").EnumerateArray()
            .Select(r => r.Deserialize(ResourceServiceJsonContext.Default.ResourceView))
            .FirstOrDefault(r => r?.Name == "sleeper");
    }
}
