using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Options;
using ReplicatedLog.Secondary.Storage;
using ReplicatedLog.ServiceDefaults.Apis;
using ReplicatedLog.Core.Contracts;
using ReplicatedLog.ServiceDefaults.Hosting;
using ReplicatedLog.Core.Log;
using ReplicatedLog.ServiceDefaults.Security;

namespace ReplicatedLog.Secondary.Apis;

/// <summary>
/// Runs the apply path once at start, on a scratch log, so the master's first batch (and the client waiting on
/// it) does not pay for compiling it. Before the server listens it reads a batch as JSON, applies it to a scratch
/// log and writes the answer; once the server listens it sends itself one replication request that is refused as
/// malformed (400), which warms the server, the route and its body binding, and then the same append on the
/// replication stream, which warms the WebSocket's path (without it the master's first batch on the stream took
/// about 100 ms more than one sent as a request). Nothing reaches the real log.
/// </summary>
public sealed partial class ReplicaWarmup(
    IServiceProvider services,
    IServer server,
    IHostApplicationLifetime lifetime,
    IOptions<ClusterOptions> cluster,
    ILogger<ReplicaWarmup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var batch = JsonSerializer.Deserialize(
                System.Text.Encoding.UTF8.GetBytes(
                    $"{{\"logId\": \"warm-up\", \"entries\": [{{\"index\": 1, \"message\": \"warm-up\", \"generation\": 1}}], \"generation\": 1, \"base\": 0, \"prevChecksum\": \"{LogChecksum.Format(LogChecksum.Empty)}\"}}"),
                WireJsonContext.Default.AppendEntriesRequest)!;
            var log = new ReplicaLog(maxHeldBack: 1);
            var outcome = log.Apply(batch);
            if (outcome.AppliedIndex != 1)
            {
                throw new InvalidOperationException($"the warm-up batch was not applied ({outcome})");
            }

            var http = new DefaultHttpContext { RequestServices = services };
            http.Response.Body = Stream.Null;
            await TypedResults.Ok(new AppendEntriesResponse(log.InstanceId, log.LogId, outcome.AppliedIndex, outcome.HeldBack))
                .ExecuteAsync(http).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, ex);
        }

        SelfRequest.AfterStart(lifetime, server, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, ClusterRoutes.Append)
            {
                Content = new StringContent("{\"logId\": \"\", \"entries\": []}", System.Text.Encoding.UTF8, "application/json"),
            };
            if (!string.IsNullOrEmpty(cluster.Value.Token))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", cluster.Value.Token);
            }

            return request;
        }, logger);
        lifetime.ApplicationStarted.Register(() => _ = WarmStreamAsync(lifetime.ApplicationStopping));
    }

    private async Task WarmStreamAsync(CancellationToken stopping)
    {
        if (ListenAddress.Of(server, "127.0.0.1") is not { } address)
        {
            return;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            using var socket = new ClientWebSocket();
            if (!string.IsNullOrEmpty(cluster.Value.Token))
            {
                socket.Options.SetRequestHeader("Authorization", $"Bearer {cluster.Value.Token}");
            }

            await socket.ConnectAsync(new Uri($"ws://{new Uri(address).Authority}/{ClusterRoutes.Stream}"), timeout.Token).ConfigureAwait(false);
            await socket.SendAsync("{\"request\": {\"logId\": \"\", \"entries\": []}}"u8.ToArray(), WebSocketMessageType.Text, true, timeout.Token)
                .ConfigureAwait(false);
            var answer = new byte[4096];
            var received = await socket.ReceiveAsync(answer, timeout.Token).ConfigureAwait(false);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
            LogStreamWarmed(logger, System.Text.Encoding.UTF8.GetString(answer, 0, received.Count));
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or HttpRequestException)
        {
            LogStreamFailed(logger, ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Warm-up append on the replication stream answered {Answer}")]
    private static partial void LogStreamWarmed(ILogger logger, string answer);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Warming the replication stream failed; the master's first batch on it will be slower")]
    private static partial void LogStreamFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Warming the apply path failed; the first batch will be slower")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
