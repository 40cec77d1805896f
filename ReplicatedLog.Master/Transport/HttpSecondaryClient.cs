using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ReplicatedLog.Master.Replication;
using ReplicatedLog.ServiceDefaults.Apis;
using ReplicatedLog.Core.Contracts;
using ReplicatedLog.ServiceDefaults.Http;

namespace ReplicatedLog.Master.Transport;

/// <summary>
/// Talks to one secondary over HTTP: a refusal of this log (409) becomes a <see cref="LogRefusedException"/>, every
/// other way a call can fail a <see cref="SecondaryUnavailableException"/>. Appends go on the replication stream
/// (<see cref="ReplicationStreamClient"/>) unless <paramref name="stream"/> is false or the secondary does not serve
/// it; then each is a <c>POST /replication/append</c>.
/// </summary>
public sealed class HttpSecondaryClient(HttpClient http, Uri address, string? clusterToken, bool stream = true) : ISecondaryClient, IDisposable
{
    private readonly ReplicationStreamClient? _stream = stream ? new ReplicationStreamClient(clusterToken) : null;
    private Uri _address = address;

    public Uri Address
    {
        get => Volatile.Read(ref _address);
        set => Volatile.Write(ref _address, value);
    }

    public async Task<AppendEntriesResponse> AppendAsync(AppendEntriesRequest request, CancellationToken cancellationToken) =>
        _stream is not null && await _stream.AppendAsync(Address, request, cancellationToken).ConfigureAwait(false) is { } answered
            ? answered
            : await PostAsync(ClusterRoutes.Append, request, WireJsonContext.Default.AppendEntriesRequest,
                WireJsonContext.Default.AppendEntriesResponse, cancellationToken).ConfigureAwait(false);

    public Task<HeartbeatResponse> HeartbeatAsync(HeartbeatRequest request, CancellationToken cancellationToken) =>
        PostAsync(ClusterRoutes.Heartbeat, request, WireJsonContext.Default.HeartbeatRequest,
            WireJsonContext.Default.HeartbeatResponse, cancellationToken);

    public Task<LogPage> ReadAsync(long from, int limit, CancellationToken cancellationToken) =>
        CallAsync(new Uri(Address, $"/log?from={from}&limit={limit}"),
            (target, ct) => http.GetAsync(target, WireJsonContext.Default.LogPage, clusterToken, ct), cancellationToken);

    public Task PrepareAsync(CancellationToken cancellationToken) => _stream?.OpenAsync(Address, cancellationToken) ?? Task.CompletedTask;

    public void Dispose() => _stream?.Dispose();

    private Task<TResponse> PostAsync<TRequest, TResponse>(
        string path,
        TRequest body,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType,
        CancellationToken cancellationToken) =>
        CallAsync(new Uri(Address, path),
            (target, ct) => http.PostAsync(target, body, requestType, responseType, clusterToken, ct), cancellationToken);

    private static async Task<TResponse> CallAsync<TResponse>(
        Uri target, Func<Uri, CancellationToken, Task<TResponse>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(target, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (ex.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            throw new LogRefusedException(ex.Message, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new SecondaryUnavailableException(
                ex.StatusCode is null ? $"{target} unreachable: {ex.Message}" : ex.Message, ex);
        }
        catch (JsonException ex)
        {
            throw new SecondaryUnavailableException($"{target} answered with a body that is not the expected JSON", ex);
        }
    }
}
