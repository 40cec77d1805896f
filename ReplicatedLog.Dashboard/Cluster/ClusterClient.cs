using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ReplicatedLog.ServiceDefaults.Discovery;

namespace ReplicatedLog.Dashboard.Cluster;

/// <summary>
/// What the Cluster page shows and does, through the services' own APIs: the master's <c>/health</c> (writable or
/// read-only and why, each secondary's status, acked index, lag, whether its log matches), the tail of every node's
/// log (<c>GET /log</c>), each secondary's delay and faults (<c>/admin/delay</c>, <c>/admin/faults</c>, with the
/// cluster token), and appends to the master. The master is <c>Dashboard:Cluster:MasterUrl</c> or the reference an
/// AppHost gives (<c>services__master__http__0</c>); the secondaries are the ones the master reports.
/// </summary>
public sealed class ClusterClient(HttpClient http, IConfiguration configuration)
{
    private readonly ServiceEndpointResolver _resolver = new(configuration);

    public Uri? Master => configuration["Dashboard:Cluster:MasterUrl"] is { Length: > 0 } url ? new Uri(url) : _resolver.Resolve("master");

    private string? Token => configuration["Cluster:Token"];

    /// <summary>
    /// How long a look at a node or a change of its settings may take (<c>Dashboard:Cluster:CallTimeoutMs</c>,
    /// 10 s). An append is not bounded: it waits for its write concern as long as the master makes it wait (its own
    /// <c>timeoutMs</c> answers 202), and the page shows it waiting until then.
    /// </summary>
    private TimeSpan CallTimeout => TimeSpan.FromMilliseconds(
        configuration.GetValue<int?>("Dashboard:Cluster:CallTimeoutMs") is int ms and > 0 ? ms : 10_000);

    /// <summary>
    /// A client that sends the <c>traceparent</c> this class gives each request and no other: not one of a span
    /// that happens to be current in the dashboard.
    /// </summary>
    public static HttpClient CreateHttpClient() => new(new SocketsHttpHandler
    {
        ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator(),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>The master's view and every node's last <paramref name="tail"/> entries, taken now.</summary>
    public async Task<JsonObject> SnapshotAsync(int tail, CancellationToken cancellationToken)
    {
        var master = Master ?? throw new ClusterUnknownException();
        var health = await GetJsonAsync(new Uri(master, "/health"), cancellationToken) as JsonObject
            ?? throw new HttpRequestException($"{master} answered /health with something that is not a JSON object");
        var secondaries = health["secondaries"]?.AsArray() ?? [];
        var nodes = new List<Task<JsonObject>> { NodeAsync("master", master, tail, admin: false, cancellationToken) };
        foreach (var secondary in secondaries)
        {
            if (secondary?["name"]?.GetValue<string>() is { } name && secondary["address"]?.GetValue<string>() is { } address)
            {
                nodes.Add(NodeAsync(name, new Uri(address), tail, admin: true, cancellationToken));
            }
        }

        return new JsonObject
        {
            ["master"] = master.ToString(),
            ["health"] = health,
            ["nodes"] = new JsonArray([.. (await Task.WhenAll(nodes)).Cast<JsonNode>()]),
        };
    }

    /// <summary>
    /// Appends through the master with a trace id made here (a W3C <c>traceparent</c>), so the page can link to the
    /// append's trace before it is answered.
    /// </summary>
    public async Task<(int Status, JsonNode? Body)> AppendAsync(JsonNode body, string traceId, CancellationToken cancellationToken)
    {
        var master = Master ?? throw new ClusterUnknownException();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(master, "/messages"))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("traceparent", TraceParent(traceId, sampled: true));
        return await SendAsync(request, bounded: false, cancellationToken);
    }

    /// <summary>Changes a secondary's <c>delay</c> or <c>faults</c> (a PUT to its admin route, with the cluster token).</summary>
    public async Task<(int Status, JsonNode? Body)> ChangeAsync(string secondary, string setting, JsonNode body, CancellationToken cancellationToken)
    {
        var address = await AddressOfAsync(secondary, cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(address, $"/admin/{setting}"))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        Authorize(request);
        return await SendAsync(request, bounded: true, cancellationToken);
    }

    private async Task<Uri> AddressOfAsync(string secondary, CancellationToken cancellationToken)
    {
        var master = Master ?? throw new ClusterUnknownException();
        var health = await GetJsonAsync(new Uri(master, "/health"), cancellationToken);
        var found = health?["secondaries"]?.AsArray().FirstOrDefault(s => s?["name"]?.GetValue<string>() == secondary);
        return found?["address"]?.GetValue<string>() is { } address
            ? new Uri(address)
            : throw new KeyNotFoundException($"The master knows no secondary named '{secondary}'.");
    }

    private async Task<JsonObject> NodeAsync(string name, Uri url, int tail, bool admin, CancellationToken cancellationToken)
    {
        var node = new JsonObject { ["name"] = name, ["url"] = url.ToString() };
        try
        {
            var head = await GetJsonAsync(new Uri(url, "/log?from=1&limit=1"), cancellationToken);
            var last = head?["lastIndex"]?.GetValue<long>() ?? 0;
            node["lastIndex"] = last;
            var from = Math.Max(1, last - tail + 1);
            node["entries"] = last == 0 ? new JsonArray() : (await GetJsonAsync(new Uri(url, $"/log?from={from}&limit={tail}"), cancellationToken))?["entries"]?.DeepClone();
            if (admin)
            {
                node["delay"] = await GetJsonAsync(new Uri(url, "/admin/delay"), cancellationToken, authorized: true);
                node["faults"] = await TryGetJsonAsync(new Uri(url, "/admin/faults"), cancellationToken);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            node["error"] = ex is TaskCanceledException ? $"{url} did not answer in time" : ex.Message;
        }

        return node;
    }

    private async Task<JsonNode?> TryGetJsonAsync(Uri url, CancellationToken cancellationToken)
    {
        try
        {
            return await GetJsonAsync(url, cancellationToken, authorized: true);
        }
        catch (HttpRequestException ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null; // fault injection is off on that secondary
        }
    }

    private async Task<JsonNode?> GetJsonAsync(Uri url, CancellationToken cancellationToken, bool authorized = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        // The page looks at every node every second: a trace each time would bury the user's own. A W3C parent
        // that is not sampled asks the node not to record it.
        request.Headers.Add("traceparent", TraceParent(ActivityTraceId.CreateRandom().ToHexString(), sampled: false));
        if (authorized)
        {
            Authorize(request);
        }

        using var response = await SendBoundedAsync(request, bounded: true, cancellationToken);
        if (!response.IsSuccessStatusCode && response.StatusCode != System.Net.HttpStatusCode.ServiceUnavailable)
        {
            throw new HttpRequestException($"{url} answered {(int)response.StatusCode}", null, response.StatusCode);
        }

        return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>Sends and reads the whole answer, within <see cref="CallTimeout"/> when <paramref name="bounded"/>.</summary>
    private async Task<HttpResponseMessage> SendBoundedAsync(HttpRequestMessage request, bool bounded, CancellationToken cancellationToken)
    {
        using var timeout = bounded ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken) : null;
        timeout?.CancelAfter(CallTimeout);
        return await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout?.Token ?? cancellationToken);
    }

    private async Task<(int Status, JsonNode? Body)> SendAsync(HttpRequestMessage request, bool bounded, CancellationToken cancellationToken)
    {
        using var response = await SendBoundedAsync(request, bounded, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonNode? body;
        try
        {
            body = text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            body = JsonValue.Create(text);
        }

        return ((int)response.StatusCode, body);
    }

    private static string TraceParent(string traceId, bool sampled) =>
        $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-{(sampled ? "01" : "00")}";

    private void Authorize(HttpRequestMessage request)
    {
        if (Token is { Length: > 0 } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }
}

/// <summary>The dashboard was told no master (standalone, without <c>Dashboard:Cluster:MasterUrl</c>).</summary>
public sealed class ClusterUnknownException() : InvalidOperationException(
    "This dashboard knows no cluster: set Dashboard:Cluster:MasterUrl (the AppHost gives it services__master__http__0).");
