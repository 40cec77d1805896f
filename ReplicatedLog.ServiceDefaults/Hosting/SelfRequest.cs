using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ReplicatedLog.ServiceDefaults.Hosting;

/// <summary>
/// Once the server listens, sends it one request over loopback: the server, its routing and the route compile
/// before a client's first request instead of during it. The answer is not looked at; a failure costs nothing.
/// </summary>
public static partial class SelfRequest
{
    public static void AfterStart(
        IHostApplicationLifetime lifetime, IServer server, Func<HttpRequestMessage> request, ILogger logger) =>
        lifetime.ApplicationStarted.Register(() => _ = SendAsync(server, request, logger, lifetime.ApplicationStopping));

    private static async Task SendAsync(IServer server, Func<HttpRequestMessage> request, ILogger logger, CancellationToken stopping)
    {
        if (ListenAddress.Of(server, "127.0.0.1") is not { } address)
        {
            return;
        }

        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(5) };
            using var message = request();
            using var response = await http.SendAsync(message, stopping).ConfigureAwait(false);
            LogWarmed(logger, message.RequestUri, (int)response.StatusCode);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            LogFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Warm-up request to {Path} answered {Status}")]
    private static partial void LogWarmed(ILogger logger, Uri? path, int status);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Warm-up request failed; the first client request will be slower")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
