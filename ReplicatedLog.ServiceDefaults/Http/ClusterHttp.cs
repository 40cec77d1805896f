using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ReplicatedLog.ServiceDefaults.Http;

/// <summary>
/// One call between nodes of the cluster: POST a wire contract as JSON (or GET, DELETE) with the cluster token, read the answer.
/// A non-success answer becomes an <see cref="HttpRequestException"/> with the status and the start of the body;
/// a body that is not the expected JSON surfaces as <see cref="System.Text.Json.JsonException"/>.
/// </summary>
public static class ClusterHttp
{
    public static async Task<TResponse> PostAsync<TRequest, TResponse>(
        this HttpClient http,
        Uri target,
        TRequest body,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType,
        string? clusterToken,
        CancellationToken cancellationToken)
    {
        // Serialized up front, so the request carries its length and goes out headers and body in one write: a
        // streamed JsonContent went chunked, in several writes, and the receiver woke up for each.
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, requestType));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json", "utf-8");
        using var message = new HttpRequestMessage(HttpMethod.Post, target) { Content = content };
        return await http.SendAsync(message, responseType, clusterToken, cancellationToken).ConfigureAwait(false);
    }

    public static Task<TResponse> DeleteAsync<TResponse>(
        this HttpClient http, Uri target, JsonTypeInfo<TResponse> responseType, string? clusterToken, CancellationToken cancellationToken) =>
        http.SendAsync(HttpMethod.Delete, target, responseType, clusterToken, cancellationToken);

    public static Task<TResponse> GetAsync<TResponse>(
        this HttpClient http, Uri target, JsonTypeInfo<TResponse> responseType, string? clusterToken, CancellationToken cancellationToken) =>
        http.SendAsync(HttpMethod.Get, target, responseType, clusterToken, cancellationToken);

    private static async Task<TResponse> SendAsync<TResponse>(
        this HttpClient http, HttpMethod method, Uri target, JsonTypeInfo<TResponse> responseType, string? clusterToken, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(method, target);
        return await http.SendAsync(message, responseType, clusterToken, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<TResponse> SendAsync<TResponse>(
        this HttpClient http,
        HttpRequestMessage message,
        JsonTypeInfo<TResponse> responseType,
        string? clusterToken,
        CancellationToken cancellationToken)
    {
        var target = message.RequestUri;
        if (!string.IsNullOrEmpty(clusterToken))
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", clusterToken);
        }

        using var response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var detail = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new HttpRequestException(
                $"{target} answered {(int)response.StatusCode} {response.ReasonPhrase}: {Shorten(detail)}",
                inner: null,
                response.StatusCode);
        }

        return await response.Content.ReadFromJsonAsync(responseType, cancellationToken).ConfigureAwait(false)
            ?? throw new HttpRequestException($"{target} answered with an empty body");
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "...";
}
