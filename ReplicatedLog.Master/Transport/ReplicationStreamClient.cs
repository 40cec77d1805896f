using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using ReplicatedLog.Core.Contracts;
using ReplicatedLog.Master.Replication;

namespace ReplicatedLog.Master.Transport;

/// <summary>
/// The master's end of the replication stream to one secondary: a WebSocket on <c>GET /replication/stream</c> that
/// carries one append at a time and reads its answer before the next goes, so the acknowledgement stays cumulative and
/// in order, as with one HTTP request per batch, without the cost of one. It opens on first use, and again on the
/// next call after any failure: a call that fails, times out or is cancelled closes it, so a late answer is never
/// read as the answer to another append. Failures surface as <see cref="ISecondaryClient"/> says: a refusal of this
/// log as <see cref="LogRefusedException"/>, everything else as <see cref="SecondaryUnavailableException"/>.
/// </summary>
public sealed class ReplicationStreamClient(string? clusterToken) : IDisposable
{
    private static readonly ActivitySource Source = new(Appender.TelemetryName);

    /// <summary>How long a secondary that does not serve the stream (an older version) is sent HTTP requests before asking again.</summary>
    private static readonly TimeSpan AskAgainAfter = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _one = new(1, 1);
    private readonly ArrayBufferWriter<byte> _out = new(16 * 1024);
    private Utf8JsonWriter? _writer;
    private byte[] _in = new byte[1024];
    private ClientWebSocket? _socket;
    private Uri? _connectedTo;
    private Uri? _notServedBy;
    private long _notServedSince;

    /// <summary>
    /// Sends <paramref name="request"/> to the secondary at <paramref name="address"/> and returns its answer, or null
    /// when that secondary does not serve the stream (it answered the upgrade 404), for the caller to send it as an
    /// HTTP request instead.
    /// </summary>
    public async Task<AppendEntriesResponse?> AppendAsync(Uri address, AppendEntriesRequest request, CancellationToken cancellationToken)
    {
        if (NotServedBy(address))
        {
            return null;
        }

        await _one.WaitAsync(cancellationToken).ConfigureAwait(false);
        // The call's span, as an HTTP request would have one (failed in red when the attempt fails, connecting
        // included); the secondary's span of the batch is its child.
        var call = Source.StartActivity(ClusterRoutes.StreamAppendSpan, ActivityKind.Client);
        call?.SetTag("server.address", address.Host);
        call?.SetTag("server.port", address.Port);
        try
        {
            var socket = IsOpenTo(address)
                ? _socket
                : await ConnectAsync(address, cancellationToken).ConfigureAwait(false);
            if (socket is null)
            {
                call?.SetTag("replicatedlog.stream", "not served: sent as a request");
                return null;
            }

            var answer = await CallAsync(socket, new StreamedAppend(request, Activity.Current?.Id), cancellationToken).ConfigureAwait(false);
            call?.SetTag("replicatedlog.status", answer.Status);
            return answer.Status switch
            {
                (int)HttpStatusCode.OK when answer.Response is { } response => response,
                (int)HttpStatusCode.Conflict => throw new LogRefusedException($"{address} answered 409 Conflict: {answer.Detail}"),
                _ => throw new SecondaryUnavailableException($"{address} answered {answer.Status} on the replication stream: {answer.Detail}"),
            };
        }
        catch (Exception ex) when (ex is WebSocketException or JsonException or OperationCanceledException or SecondaryUnavailableException)
        {
            // The stream is in an unknown state (an answer may still come): the next append opens a new one.
            Close();
            var failure = ex switch
            {
                WebSocketException => new SecondaryUnavailableException($"The replication stream to {address} broke: {ex.Message}", ex),
                JsonException => new SecondaryUnavailableException($"{address} answered on the replication stream with a message that is not the expected JSON", ex),
                _ => ex,
            };
            call?.SetStatus(ActivityStatusCode.Error, failure is OperationCanceledException ? "timed out or interrupted" : failure.Message);
            throw failure;
        }
        finally
        {
            call?.Dispose();
            _one.Release();
        }
    }

    /// <summary>
    /// Opens the stream to <paramref name="address"/> unless it is open, and sends it an append without a log id,
    /// which the secondary refuses (400) without looking further: the first real append then waits neither for the
    /// connection nor for this side's first send and read to compile. A failure is left for that append to meet and
    /// report.
    /// </summary>
    public async Task OpenAsync(Uri address, CancellationToken cancellationToken)
    {
        await _one.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!IsOpenTo(address) && !NotServedBy(address)
                && await ConnectAsync(address, cancellationToken).ConfigureAwait(false) is { } socket)
            {
                await CallAsync(socket, new StreamedAppend(new AppendEntriesRequest("", [])), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or SecondaryUnavailableException or JsonException or OperationCanceledException)
        {
            // The first append opens it again, and says what failed.
            Close();
            if (ex is OperationCanceledException)
            {
                throw;
            }
        }
        finally
        {
            _one.Release();
        }
    }

    public void Dispose()
    {
        Close();
        _writer?.Dispose();
    }

    private bool IsOpenTo(Uri address) => _socket is { State: WebSocketState.Open } && address == _connectedTo;

    /// <summary>Whether the secondary at <paramref name="address"/> answered the upgrade 404 less than <see cref="AskAgainAfter"/> ago.</summary>
    private bool NotServedBy(Uri address) => address == _notServedBy && Stopwatch.GetElapsedTime(_notServedSince) < AskAgainAfter;

    private async Task<ClientWebSocket?> ConnectAsync(Uri address, CancellationToken cancellationToken)
    {
        Close();
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (!string.IsNullOrEmpty(clusterToken))
        {
            socket.Options.SetRequestHeader("Authorization", $"Bearer {clusterToken}");
        }

        var target = new UriBuilder(new Uri(address, ClusterRoutes.Stream)) { Scheme = address.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" }.Uri;
        try
        {
            await socket.ConnectAsync(target, cancellationToken).ConfigureAwait(false);
        }
        catch (WebSocketException ex)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            if (status == HttpStatusCode.NotFound)
            {
                (_notServedBy, _notServedSince) = (address, Stopwatch.GetTimestamp());
                return null;
            }

            throw new SecondaryUnavailableException(status == 0
                ? $"{target} unreachable: {ex.InnerException?.Message ?? ex.Message}"
                : $"{target} answered {(int)status} {status} to the replication stream's upgrade", ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        (_socket, _connectedTo) = (socket, address);
        return socket;
    }

    private async Task<StreamedAnswer> CallAsync(ClientWebSocket socket, StreamedAppend append, CancellationToken cancellationToken)
    {
        _out.ResetWrittenCount();
        _writer ??= new Utf8JsonWriter(_out);
        _writer.Reset(_out);
        JsonSerializer.Serialize(_writer, append, WireJsonContext.Default.StreamedAppend);
        await socket.SendAsync(_out.WrittenMemory, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);

        var length = 0;
        while (true)
        {
            if (length == _in.Length)
            {
                Array.Resize(ref _in, _in.Length * 2);
            }

            var received = await socket.ReceiveAsync(_in.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                throw new SecondaryUnavailableException(
                    $"{_connectedTo} closed the replication stream ({socket.CloseStatus} {socket.CloseStatusDescription})");
            }

            length += received.Count;
            if (received.EndOfMessage)
            {
                return JsonSerializer.Deserialize(_in.AsSpan(0, length), WireJsonContext.Default.StreamedAnswer)
                    ?? throw new SecondaryUnavailableException($"{_connectedTo} answered null on the replication stream");
            }
        }
    }

    private void Close()
    {
        var socket = _socket;
        (_socket, _connectedTo) = (null, null);
        if (socket is not null)
        {
            socket.Abort();
            socket.Dispose();
        }
    }
}
