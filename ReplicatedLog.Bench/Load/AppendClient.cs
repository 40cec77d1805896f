namespace ReplicatedLog.Bench.Load;

/// <summary>
/// The master a load appends to: its <c>POST /messages</c> address, a check that it answers, and for each client of
/// the load a sender with a connection of its own (<see cref="HttpAppendSender"/>).
/// </summary>
public sealed class AppendClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _messages;

    public AppendClient(Uri master, TimeSpan timeout)
    {
        _messages = new Uri(master, "messages");
        // For the probe only: the load's appends go over each sender's own connection.
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(10) }) { Timeout = timeout };
    }

    public Uri MessagesUrl => _messages;

    /// <summary>A sender for one client of the load, with <paramref name="bodies"/> and a connection of its own.</summary>
    public IAppendSender Sender(AppendBodies bodies) => new HttpAppendSender(_messages, bodies, _http.Timeout);

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
}
