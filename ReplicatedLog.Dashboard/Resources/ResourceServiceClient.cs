using System.Text.Json;
using Microsoft.Extensions.Options;
using ReplicatedLog.Core.Contracts;

namespace ReplicatedLog.Dashboard.Resources;

/// <summary>
/// Watches the AppHost's resource service for as long as the dashboard runs, when
/// <c>Dashboard:ResourceServiceClient:Url</c> is set, and feeds the <see cref="ResourceCatalog"/>. A lost or refused
/// watch is tried again after a delay that starts at <see cref="ResourceServiceClientOptions.ReconnectMinDelayMs"/>
/// and doubles up to <see cref="ResourceServiceClientOptions.ReconnectMaxDelayMs"/>, back to the start once a watch
/// gets its snapshot.
/// </summary>
public sealed partial class ResourceServiceClient(
    ResourceServiceConnection connection,
    ResourceCatalog catalog,
    IOptions<ResourceServiceClientOptions> options,
    TimeProvider time,
    ILogger<ResourceServiceClient> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (connection.Url is not { } url)
        {
            LogNotConfigured(logger, ResourceServiceClientOptions.SectionName);
            catalog.SetConnection(ResourceConnectionState.NotConfigured, null);
            return;
        }

        var settings = options.Value;
        var delay = TimeSpan.FromMilliseconds(settings.ReconnectMinDelayMs);
        while (!stoppingToken.IsCancellationRequested)
        {
            catalog.SetConnection(ResourceConnectionState.Connecting, null);
            LogWatching(logger, url);
            string reason;
            try
            {
                await foreach (var message in connection.WatchAsync(stoppingToken))
                {
                    catalog.Apply(message);
                    if (message is ResourcesSnapshot snapshot)
                    {
                        LogWatched(logger, url, snapshot.Resources.Count);
                        delay = TimeSpan.FromMilliseconds(settings.ReconnectMinDelayMs);
                    }
                    else if (message is ResourceLogLinesLost lost)
                    {
                        LogLinesLost(logger, lost.Count);
                    }
                }

                reason = "the AppHost ended the watch";
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or JsonException)
            {
                reason = ex.Message;
            }

            catalog.SetConnection(ResourceConnectionState.Disconnected, reason);
            LogLost(logger, url, reason, (long)delay.TotalMilliseconds);
            try
            {
                await Task.Delay(delay, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, settings.ReconnectMaxDelayMs));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No resources to show: {Section}:Url is not set (the AppHost sets it)")]
    private static partial void LogNotConfigured(ILogger logger, string section);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Watching the resources at {Url}")]
    private static partial void LogWatching(ILogger logger, Uri url);

    [LoggerMessage(Level = LogLevel.Information, Message = "Watching the resources at {Url}: {Count} resources")]
    private static partial void LogWatched(ILogger logger, Uri url, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the watch of the resources at {Url} ({Reason}); watching again in {DelayMs} ms")]
    private static partial void LogLost(ILogger logger, Uri url, string reason, long delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The AppHost could not send {Count} lines of output: this dashboard read them too slowly")]
    private static partial void LogLinesLost(ILogger logger, long count);
}
