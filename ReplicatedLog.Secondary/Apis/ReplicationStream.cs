using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using ReplicatedLog.Core.Contracts;
using ReplicatedLog.Secondary.Faults;
using ReplicatedLog.Secondary.Replication;
using ReplicatedLog.ServiceDefaults.Apis;

namespace ReplicatedLog.Secondary.Apis;

/// <summary>
/// The secondary's end of the replication stream (<c>GET /replication/stream</c>, a WebSocket): it reads one append
/// at a time, hands it to the replica and writes the answer that <c>POST /replication/append</c> would give, so a
/// batch costs two WebSocket messages on a connection that stays open instead of an HTTP request. The injected faults
/// act here as they do around the route: a pause holds the answer, a drop cuts the connection before anything is
/// applied, an error after apply answers 500. The stream ends when the master closes it, the connection breaks, or
/// this secondary stops.
/// </summary>
public sealed partial class ReplicationStream
{
    private static readonly ActivitySource Source = new(Replica.TelemetryName);
    private readonly WebSocket _socket;
    private readonly Replica _replica;
    private readonly FaultInjector _faults;
    private readonly ILogger _logger;
    private readonly long _maxMessageBytes;
    private readonly ArrayBufferWriter<byte> _answer = new(256);
    private byte[] _message = new byte[16 * 1024];

    private ReplicationStream(WebSocket socket, Replica replica, FaultInjector faults, ILogger logger, long maxMessageBytes)
    {
        _socket = socket;
        _replica = replica;
        _faults = faults;
        _logger = logger;
        _maxMessageBytes = maxMessageBytes;
    }

    public static async Task<IResult> AcceptAsync(
        HttpContext http, Replica replica, FaultInjector faults, IHostApplicationLifetime lifetime, ILogger<ReplicationStream> logger)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            return Problems.BadRequest($"{ClusterRoutes.Mapped(ClusterRoutes.Stream)} is a WebSocket: send a GET with 'Connection: Upgrade' and 'Upgrade: websocket'.");
        }

        // An append takes no more here than the same append as an HTTP request would (the server's body limit).
        var limit = http.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? int.MaxValue;
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        var (address, port) = (http.Connection.RemoteIpAddress?.ToString(), http.Connection.RemotePort);
        LogOpened(logger, address, port);
        var reason = await new ReplicationStream(socket, replica, faults, logger, limit).RunAsync(ended.Token);
        LogClosed(logger, address, port, reason);
        return Results.Empty;
    }

    /// <summary>Answers appends until the stream ends; returns why it ended.</summary>
    private async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var length = await ReceiveAsync(cancellationToken);
                if (length < 0)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
                    return "closed by the caller";
                }

                if (length > _maxMessageBytes)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, $"an append takes at most {_maxMessageBytes} bytes", cancellationToken);
                    return $"an append larger than {_maxMessageBytes} bytes";
                }

                var answer = await AnswerAsync(_message.AsMemory(0, (int)length), cancellationToken);
                if (answer is null)
                {
                    _socket.Abort();
                    return "dropped by an injected fault";
                }

                await SendAsync(answer, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _socket.Abort();
            return "this secondary is stopping, or the connection went away";
        }
        catch (WebSocketException ex)
        {
            return $"the connection broke ({ex.Message})";
        }
    }

    /// <summary>The answer to one message, or null to drop the connection (an injected fault).</summary>
    private async Task<StreamedAnswer?> AnswerAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        StreamedAppend? append;
        try
        {
            append = JsonSerializer.Deserialize(message.Span, WireJsonContext.Default.StreamedAppend);
        }
        catch (JsonException ex)
        {
            return new StreamedAnswer(StatusCodes.Status400BadRequest, Detail: $"The message is not an append as JSON: {ex.Message}");
        }

        if (ReplicationApi.Malformed(append?.Request) is { } problem)
        {
            return new StreamedAnswer(StatusCodes.Status400BadRequest, Detail: problem);
        }

        await _faults.WhenRunningAsync(cancellationToken);
        if (_faults.ShouldDrop())
        {
            return null;
        }

        // The batch's span continues the master's trace, as the HTTP request's would, not the stream's upgrade.
        Activity.Current = null;
        ActivityContext.TryParse(append!.TraceParent, null, isRemote: true, out var parent);
        using var span = Source.StartActivity(ClusterRoutes.StreamAppendSpan, ActivityKind.Server, parent);
        var result = await _replica.AppendAsync(append.Request, cancellationToken);
        if (result.Refusal is { } refusal)
        {
            return new StreamedAnswer(StatusCodes.Status409Conflict, Detail: refusal);
        }

        var applied = result.Response!;
        return _faults.ShouldFailAfterApply(applied.AppliedIndex)
            ? new StreamedAnswer(StatusCodes.Status500InternalServerError, Detail: FaultInjector.FailedAfterApply(applied.AppliedIndex))
            : new StreamedAnswer(StatusCodes.Status200OK, applied);
    }

    /// <summary>Reads one whole message into <see cref="_message"/>; its length, or -1 when the master closed the stream.</summary>
    private async ValueTask<long> ReceiveAsync(CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            if (length == _message.Length)
            {
                if (length > _maxMessageBytes)
                {
                    return length;
                }

                Array.Resize(ref _message, (int)Math.Min((long)_message.Length * 2, Array.MaxLength));
            }

            var received = await _socket.ReceiveAsync(_message.AsMemory(length), cancellationToken);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return -1;
            }

            length += received.Count;
            if (received.EndOfMessage)
            {
                return length;
            }
        }
    }

    private async ValueTask SendAsync(StreamedAnswer answer, CancellationToken cancellationToken)
    {
        _answer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_answer))
        {
            JsonSerializer.Serialize(writer, answer, WireJsonContext.Default.StreamedAnswer);
        }

        await _socket.SendAsync(_answer.WrittenMemory, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
    }

    // "The caller", not "the master": this secondary's own warm-up opens one at start too.
    [LoggerMessage(Level = LogLevel.Information, Message = "Replication stream from {Address}:{Port} opened")]
    private static partial void LogOpened(ILogger logger, string? address, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replication stream from {Address}:{Port} ended: {Reason}")]
    private static partial void LogClosed(ILogger logger, string? address, int port, string reason);
}
