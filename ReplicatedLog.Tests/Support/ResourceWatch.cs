using System.Text.Json;
using ReplicatedLog.Core.Contracts;

namespace ReplicatedLog.Tests.Support;

/// <summary>A watch of an AppHost's resource service, read message by message within a deadline; disposed, it ends.</summary>
public sealed class ResourceWatch : IDisposable
{
    private readonly HttpClient _http;
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;
    private readonly List<ResourceServiceMessage> _seen = [];

    private ResourceWatch(HttpClient http, HttpResponseMessage response, StreamReader reader)
    {
        _http = http;
        _response = response;
        _reader = reader;
    }

    public static async Task<ResourceWatch> OpenAsync(Uri service, string? apiKey)
    {
        var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(service, ResourceServiceRoutes.Watch));
        if (apiKey is not null)
        {
            request.Headers.Add(ResourceServiceRoutes.ApiKeyHeader, apiKey);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        return new ResourceWatch(http, response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    /// <summary>Reads up to and including the first message that <paramref name="last"/> accepts; a timeout reports the last messages seen.</summary>
    public async Task<List<ResourceServiceMessage>> ReadUntilAsync(string what, Func<ResourceServiceMessage, bool> last)
    {
        var read = new List<ResourceServiceMessage>();
        using var deadline = new CancellationTokenSource(Eventually.DefaultDeadline);
        try
        {
            while (await _reader.ReadLineAsync(deadline.Token) is { } line)
            {
                var message = JsonSerializer.Deserialize(line, ResourceServiceJsonContext.Default.ResourceServiceMessage)!;
                read.Add(message);
                _seen.Add(message);
                if (last(message))
                {
                    return read;
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"Waited {Eventually.DefaultDeadline.TotalSeconds:0} s for {what}; last seen: {string.Join(" | ", _seen.TakeLast(10).Select(Describe))}");
        }

        throw new InvalidOperationException($"The watch ended before {what}; last seen: {string.Join(" | ", _seen.TakeLast(10).Select(Describe))}");
    }

    /// <summary>A message as a line a test can compare: <c>snapshot greeter NotStarted</c>, <c>greeter Starting</c>, <c>greeter 1: hello</c>.</summary>
    public static string Describe(ResourceServiceMessage message) => message switch
    {
        ResourcesSnapshot s => $"snapshot {string.Join(", ", s.Resources.Select(r => $"{r.Name} {r.State}"))}",
        ResourceChanged { Resource: var r } => $"{r.Name} {r.State}{(r.ExitCode is { } code ? $" ({code}, {r.Ending})" : "")}",
        ResourceLogLine l => $"{l.Resource} {l.Number}: {l.Text}",
        ResourceLogLinesLost lost => $"{lost.Count} lines lost",
        _ => message.ToString(),
    };

    public void Dispose()
    {
        _reader.Dispose();
        _response.Dispose();
        _http.Dispose();
    }
}
