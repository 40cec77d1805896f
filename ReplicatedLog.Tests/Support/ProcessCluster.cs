using System.Text.Json;
using ReplicatedLog.AppHost.Hosting;
using ReplicatedLog.AppHost.Hosting.Runtime;
using ReplicatedLog.Core.Contracts;

namespace ReplicatedLog.Tests.Support;

/// <summary>
/// The AppHost's own topology, run as real processes through the AppHost's resource model and runner, on a free block
/// of ports, with test pacing (heartbeats every 200 ms, short retries, no delays). Every process is stopped on
/// dispose, also when the test failed.
/// </summary>
public sealed class ProcessCluster : IAsyncDisposable
{
    private readonly TempDirectory _data;

    private ProcessCluster(ClusterHost host, TempDirectory data)
    {
        Host = host;
        _data = data;
    }

    public ClusterHost Host { get; }

    /// <summary>Starts, stops, kills, pauses the resources by name; each one's state, pid and output.</summary>
    public ResourceRunner Runner => Host.Runner;

    /// <summary>Where the nodes keep their logs (a directory per resource), removed on dispose.</summary>
    public string DataDirectory => _data.Path;

    public static ProcessCluster Create(int secondaries = 2, Action<ClusterHostBuilder>? configure = null)
    {
        var basePort = FreePort.Block(secondaries + 1);
        var data = new TempDirectory("cluster");
        var args = new List<string>
        {
            "--secondaries", $"{secondaries}", "--base-port", $"{basePort}", "--AppHost:GracePeriodMs=3000", $"--AppHost:DataDirectory={data.Path}",
        };
        for (var k = 1; k <= secondaries; k++)
        {
            args.AddRange(["--delay", $"secondary-{k}=0"]);
        }

        var builder = ReplicatedLog.AppHost.Program.Topology(ClusterHostBuilder.Create([.. args]));
        builder["master"]
            .WithEnvironment("Health__HeartbeatIntervalMs", 200)
            .WithEnvironment("Replication__Retry__BaseDelayMs", 20)
            .WithEnvironment("Replication__Retry__MaxDelayMs", 300);
        configure?.Invoke(builder);
        return new ProcessCluster(builder.Build(), data);
    }

    /// <summary>A client for a resource, by name, whose every call is bounded (20 s).</summary>
    public HttpClient Client(string name)
    {
        return new HttpClient { BaseAddress = Runner[name].Url, Timeout = TimeSpan.FromSeconds(20) };
    }

    public async Task<(int Status, AppendMessageResponse? Body)> AppendAsync(
        string message, object w, CancellationToken cancellationToken = default, string? id = null)
    {
        using var client = Client("master");
        using var response = await client.PostAsync("messages", TestCluster.JsonContent(new { message, w, id }), cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return ((int)response.StatusCode, response.IsSuccessStatusCode
            ? JsonSerializer.Deserialize(text, WireJsonContext.Default.AppendMessageResponse)
            : null);
    }

    public async Task<IReadOnlyList<string>> MessagesAsync(string name) =>
        await TestCluster.MessagesAsync(Runner[name].Url);

    public async Task<JsonElement> MasterHealthAsync() => await TestCluster.HealthAsync(Runner["master"].Url);

    public async Task<string?> StatusOfAsync(string secondary) =>
        (await MasterHealthAsync()).GetProperty("secondaries").EnumerateArray()
            .FirstOrDefault(s => s.GetProperty("name").GetString() == secondary) is { ValueKind: JsonValueKind.Object } s
            ? s.GetProperty("status").GetString()
            : null;

    public Task WaitForStatusAsync(string secondary, SecondaryStatus status) =>
        Eventually.MatchAsync($"{secondary} to be {status} on the master", () => StatusOfAsync(secondary), s => s == status.ToString());

    public Task WaitForWritableAsync(bool writable = true) => TestCluster.WaitForWritableAsync(Runner["master"].Url, writable);

    /// <summary>Waits for a line of a resource's output that contains <paramref name="text"/>.</summary>
    public Task WaitForOutputAsync(string name, string text) =>
        Eventually.TrueAsync($"{name} to write '{text}'", () => Runner[name].Output.Any(l => l.Contains(text, StringComparison.Ordinal)),
            describe: () => string.Join(Environment.NewLine, Runner[name].Output.TakeLast(10)));

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        _data.Dispose();
    }
}
