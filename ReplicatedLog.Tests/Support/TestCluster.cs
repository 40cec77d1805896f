using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ReplicatedLog.Master;
using ReplicatedLog.Master.Replication;
using ReplicatedLog.Secondary;
using ReplicatedLog.Core.Contracts;
using ReplicatedLog.Core.Storage;

namespace ReplicatedLog.Tests.Support;

/// <summary>
/// A master and N secondaries as real Kestrel servers on 127.0.0.1, in the test process. Secondaries keep a reserved
/// port, so one can be stopped and started again (empty) where the master expects it. Everything started is
/// stopped on dispose, also when the test failed.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    // Every call is bounded: a broken build fails its tests in seconds instead of hanging the suite.
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(20) };

    private readonly Dictionary<string, string?> _masterSettings;
    private readonly SecondaryNode[] _secondaries;
    private readonly Action<WebApplicationBuilder>? _configure;
    private readonly ILogStore? _masterStore;
    private readonly int _masterPort;

    private TestCluster(
        Dictionary<string, string?> masterSettings, SecondaryNode[] secondaries, Action<WebApplicationBuilder>? configure, ILogStore? masterStore,
        int masterPort)
    {
        _masterSettings = masterSettings;
        _secondaries = secondaries;
        _configure = configure;
        _masterStore = masterStore;
        _masterPort = masterPort;
    }

    /// <summary>The master's settings: a test changes them before <see cref="StartMasterAsync"/> to start it differently.</summary>
    public Dictionary<string, string?> MasterSettings => _masterSettings;

    public WebApplication Master { get; private set; } = null!;

    public Uri MasterUrl { get; private set; } = null!;

    public IReadOnlyList<SecondaryNode> Secondaries => _secondaries;

    public SecondaryRegistry Registry => Master.Services.GetRequiredService<SecondaryRegistry>();

    /// <summary>Test pacing: heartbeats every 100 ms, retries from 10 ms capped at 200 ms, quiet logs.</summary>
    public static Dictionary<string, string?> FastSettings() => new()
    {
        ["Health:HeartbeatIntervalMs"] = "100",
        ["Health:UnhealthyAfterMisses"] = "3",
        ["Replication:Retry:BaseDelayMs"] = "10",
        ["Replication:Retry:MaxDelayMs"] = "200",
        ["Replication:Retry:AttemptTimeoutMs"] = "2000",
        ["Logging:LogLevel:Default"] = "Error",
    };

    /// <param name="secondaries">How many secondaries the master is configured with.</param>
    /// <param name="started">Which of them run from the start (default: all).</param>
    /// <param name="master">Settings for the master on top of <see cref="FastSettings"/>.</param>
    /// <param name="secondary">Settings for secondary i (index given) on top of quiet logs.</param>
    /// <param name="configure">Applied to every node's builder (master and secondaries): Kestrel limits, a log capture.</param>
    /// <param name="masterStore">The master's store, kept across a stop and a start of the master; by default its own.</param>
    /// <param name="register">
    /// The master is given no list of secondaries: each registers with it (<c>services:master:http:0</c>, as in
    /// Kubernetes), and registers again after 300 ms without hearing from it. The master then keeps one address
    /// across restarts.
    /// </param>
    public static async Task<TestCluster> StartAsync(
        int secondaries,
        int[]? started = null,
        Dictionary<string, string?>? master = null,
        Func<int, Dictionary<string, string?>>? secondary = null,
        Action<WebApplicationBuilder>? configure = null,
        ILogStore? masterStore = null,
        bool register = false)
    {
        var masterPort = register ? FreePort.Next() : 0;
        var nodes = Enumerable.Range(0, secondaries)
            .Select(i => new SecondaryNode($"secondary-{i + 1}", FreePort.Next(), SettingsOf(i)))
            .ToArray();
        var masterSettings = FastSettings();
        for (var i = 0; i < nodes.Length && !register; i++)
        {
            masterSettings[$"Replication:Secondaries:{i}"] = nodes[i].Url.ToString();
        }

        foreach (var (key, value) in master ?? [])
        {
            masterSettings[key] = value;
        }

        var cluster = new TestCluster(masterSettings, nodes, configure, masterStore, masterPort);
        try
        {
            foreach (var i in started ?? Enumerable.Range(0, secondaries).ToArray())
            {
                await cluster.StartSecondaryAsync(i);
            }

            await cluster.StartMasterAsync();
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;

        Dictionary<string, string?> SettingsOf(int i)
        {
            var settings = register ? RegistrationSettings(masterPort) : [];
            foreach (var (key, value) in secondary?.Invoke(i) ?? [])
            {
                settings[key] = value;
            }

            return settings;
        }
    }

    /// <summary>
    /// Starts the master (again, after <see cref="StopMasterAsync"/>: on a new port unless the secondaries register,
    /// on the same store if one was given).
    /// </summary>
    public async Task StartMasterAsync()
    {
        Master = MasterApp.Build([], b =>
        {
            if (_masterStore is not null)
            {
                b.Services.AddSingleton(_masterStore);
            }

            Configure(b, $"http://127.0.0.1:{_masterPort}", _masterSettings);
        });
        await Master.StartAsync();
        MasterUrl = new Uri(Master.Urls.First());
    }

    /// <summary>Stops the master; requests waiting on it are cut off.</summary>
    public async Task StopMasterAsync()
    {
        if (Master is { } master)
        {
            Master = null!;
            await master.StopAsync();
            await master.DisposeAsync();
        }
    }

    /// <summary>Starts secondary i, empty, at its reserved port.</summary>
    public async Task StartSecondaryAsync(int i, Dictionary<string, string?>? extra = null)
    {
        var node = _secondaries[i];
        var settings = new Dictionary<string, string?>(node.Settings) { ["OTEL_SERVICE_NAME"] = node.Name };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        var app = SecondaryApp.Build([], b => Configure(b, node.Url.ToString().TrimEnd('/'), settings));
        await app.StartAsync();
        node.App = app;
    }

    public async Task StopSecondaryAsync(int i)
    {
        var node = _secondaries[i];
        if (node.App is { } app)
        {
            node.App = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>A secondary that registers with the master at <paramref name="masterPort"/>, quickly and again after a short silence.</summary>
    private static Dictionary<string, string?> RegistrationSettings(int masterPort) => new()
    {
        ["services:master:http:0"] = $"http://127.0.0.1:{masterPort}",
        ["Registration:ReregisterAfterMs"] = "300",
        ["Registration:Retry:BaseDelayMs"] = "10",
        ["Registration:Retry:MaxDelayMs"] = "100",
    };

    public Task<HttpResponseMessage> AppendAsync(object body, CancellationToken cancellationToken = default) =>
        AppendAsync(MasterUrl, body, cancellationToken);

    /// <summary>Appends and expects an answer in 2xx.</summary>
    public Task<AppendMessageResponse> AppendOkAsync(string message, object w, string? id = null) =>
        AppendOkAsync(MasterUrl, message, w, id);

    /// <summary>Appends to the master at <paramref name="master"/> and expects an answer in 2xx.</summary>
    public static async Task<AppendMessageResponse> AppendOkAsync(Uri master, string message, object w, string? id = null)
    {
        using var response = await AppendAsync(master, new { message, w, id });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"append of '{message}' answered {(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize(text, WireJsonContext.Default.AppendMessageResponse)!;
    }

    private static Task<HttpResponseMessage> AppendAsync(Uri master, object body, CancellationToken cancellationToken = default) =>
        Http.PostAsync(new Uri(master, "messages"), JsonContent(body), cancellationToken);

    public static async Task<IReadOnlyList<string>> MessagesAsync(Uri node)
    {
        var text = await Http.GetStringAsync(new Uri(node, "messages"));
        return JsonSerializer.Deserialize<List<string>>(text)!;
    }

    public static async Task<JsonElement> HealthAsync(Uri node)
    {
        using var response = await Http.GetAsync(new Uri(node, "health"));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public static Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => Http.SendAsync(request);

    /// <summary>Sends <paramref name="body"/> as it is, malformed or not.</summary>
    public static async Task<HttpResponseMessage> SendRawAsync(
        HttpMethod method, Uri target, string body, string contentType = "application/json", string? authorization = null)
    {
        using var request = new HttpRequestMessage(method, target)
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, contentType),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return await Http.SendAsync(request);
    }

    public static StringContent JsonContent(object body) =>
        new(JsonSerializer.Serialize(body, new JsonSerializerOptions(JsonSerializerDefaults.Web)), System.Text.Encoding.UTF8, "application/json");

    /// <summary>The status of secondary i as the master's <c>/health</c> tells it.</summary>
    public async Task<string> StatusOfAsync(int i)
    {
        var health = await HealthAsync(MasterUrl);
        return health.GetProperty("secondaries").EnumerateArray()
            .First(s => s.GetProperty("address").GetString() == _secondaries[i].Url.ToString())
            .GetProperty("status").GetString()!;
    }

    public Task WaitForStatusAsync(int i, SecondaryStatus status) =>
        Eventually.MatchAsync($"{_secondaries[i].Name} to be {status} on the master", () => StatusOfAsync(i),
            s => s == status.ToString());

    public Task WaitForWritableAsync(bool writable = true) => WaitForWritableAsync(MasterUrl, writable);

    /// <summary>Waits until the master at <paramref name="master"/> is (or is no longer) writable, by its <c>/health</c>.</summary>
    public static Task WaitForWritableAsync(Uri master, bool writable) =>
        Eventually.MatchAsync($"the master to be {(writable ? "writable" : "read-only")}", () => HealthAsync(master),
            h => h.GetProperty("readOnly").GetBoolean() != writable, describe: h => h.ToString());

    /// <summary>Waits until every running node reads exactly <paramref name="expected"/>.</summary>
    public async Task WaitForConvergenceAsync(IReadOnlyList<string> expected)
    {
        foreach (var node in new[] { MasterUrl }.Concat(_secondaries.Where(s => s.App is not null).Select(s => s.Url)))
        {
            await Eventually.MatchAsync($"{node} to read all {expected.Count} messages", () => MessagesAsync(node),
                m => m.SequenceEqual(expected), describe: m => $"{m.Count} messages: [{string.Join(", ", m.Take(10))}...]");
        }
    }

    public async ValueTask DisposeAsync()
    {
        var stops = _secondaries.Select((_, i) => StopSecondaryAsync(i)).ToList();
        if (Master is not null)
        {
            stops.Add(Master.StopAsync());
        }

        await Task.WhenAll(stops);
        if (Master is not null)
        {
            await Master.DisposeAsync();
        }
    }

    private void Configure(WebApplicationBuilder builder, string url, Dictionary<string, string?> settings)
    {
        builder.WebHost.UseUrls(url);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1));
        _configure?.Invoke(builder);
    }
}

/// <summary>A secondary of a <see cref="TestCluster"/>: a name, a reserved address, and its app while it runs.</summary>
public sealed class SecondaryNode(string name, int port, Dictionary<string, string?> settings)
{
    public string Name { get; } = name;

    public Uri Url { get; } = new($"http://127.0.0.1:{port}/");

    public Dictionary<string, string?> Settings { get; } = new(settings) { ["Logging:LogLevel:Default"] = "Error" };

    public WebApplication? App { get; set; }
}
