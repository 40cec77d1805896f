using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ReplicatedLog.Core.Contracts;

namespace ReplicatedLog.Dashboard.Resources;

/// <summary>The calls to the AppHost's resource service (<see cref="ResourceServiceRoutes"/>), with its API key.</summary>
public sealed class ResourceServiceConnection(IOptions<ResourceServiceClientOptions> options) : IDisposable
{
    private readonly ResourceServiceClientOptions _options = options.Value;

    // Watches last as long as the AppHost runs: no overall timeout; each command has its own.
    private readonly HttpClient _http = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public Uri? Url => _options.Url;

    /// <summary>
    /// The watch, message by message, until the AppHost ends it. Throws <see cref="HttpRequestException"/> when it
    /// cannot be had or breaks, <see cref="JsonException"/> on a line that is not a message.
    /// </summary>
    public async IAsyncEnumerable<ResourceServiceMessage> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, ResourceServiceRoutes.Watch);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"{request.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}",
                null, response.StatusCode);
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(body);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length > 0)
            {
                yield return JsonSerializer.Deserialize(line, ResourceServiceJsonContext.Default.ResourceServiceMessage)
                    ?? throw new JsonException("The resource service sent a null message.");
            }
        }
    }

    /// <summary>Runs a command on a resource; the AppHost's answer as it is (the resource after it, or a problem).</summary>
    public async Task<HttpResponseMessage> SendCommandAsync(string resource, string command, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.CommandTimeoutMs);
        using var request = Request(HttpMethod.Post, ResourceServiceRoutes.Command(resource, command));
        var response = await _http.SendAsync(request, timeout.Token);
        await response.Content.LoadIntoBufferAsync(timeout.Token);
        return response;
    }

    public void Dispose() => _http.Dispose();

    private HttpRequestMessage Request(HttpMethod method, string route)
    {
        var url = _options.Url ?? throw new InvalidOperationException($"{ResourceServiceClientOptions.SectionName}:Url is not set.");
        var request = new HttpRequestMessage(method, new Uri(url, route));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(method == HttpMethod.Get ? ResourceServiceRoutes.WatchContentType : "application/json"));
        if (_options.KeyToSend is { } key)
        {
            request.Headers.Add(ResourceServiceRoutes.ApiKeyHeader, key);
        }

        return request;
    }
}
