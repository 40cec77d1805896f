using System.Net;

namespace ReplicatedLog.Bench.Load;

/// <summary>
/// Sends appends to a master's <c>POST /messages</c> over one pooled <see cref="HttpClient"/> with a connection per
/// client: no JSON is parsed, the status says it all (200 for a repeated key, 201 for an append; 202, the write
/// concern timed out, is a failure here, as is any other).
/// </summary>
public sealed class AppendClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _messages;

    public AppendClient(Uri master, int clients, TimeSpan timeout)
    {
        _messages = new Uri(master, "messages");
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = clients,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
        })
        {
            Timeout = timeout,
            DefaultRequestVersion = HttpVersion.Version11,
        };
    }

    public Uri MessagesUrl => _messages;

    /// <summary>A sender for one client of the load, with <paramref name="bodies"/>; every client shares this connection pool.</summary>
    public IAppendSender Sender(AppendBodies bodies) => new BodySender(this, bodies);

    /// <summary>Sends one append; only <paramref name="cancellationToken"/> (the user stopping the run) throws.</summary>
    public async Task<AppendOutcome> SendAsync(byte[] body, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, _messages) { Content = content };
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            return response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK
                ? AppendOutcome.Acknowledged
                : new AppendOutcome(AppendOutcomeKind.Status, (int)response.StatusCode);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AppendOutcome(AppendOutcomeKind.Timeout, Detail: $"no answer within {_http.Timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException ex)
        {
            return new AppendOutcome(AppendOutcomeKind.Connection, Detail: ex.Message);
        }
    }

    /// <summary>Asks the master's <c>/health</c>; null when it answers (any status), else why it did not.</summary>
    public async Task<string?> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(_messages, "/health"), cancellationToken);
            return null;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {_http.Timeout.TotalSeconds:0.###} s";
        }
        catch (HttpRequestException ex)
        {
            return ex.Message;
        }
    }

    public void Dispose() => _http.Dispose();

    private sealed class BodySender(AppendClient client, AppendBodies bodies) : IAppendSender
    {
        public ValueTask<AppendOutcome> SendAsync(long n, CancellationToken cancellationToken) =>
            new(client.SendAsync(bodies.For(n), cancellationToken));

        public void Dispose()
        {
            // The connections are the client's, shared by every sender.
        }
    }
}
