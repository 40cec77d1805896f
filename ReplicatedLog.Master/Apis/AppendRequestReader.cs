using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using ReplicatedLog.Master.Replication;
using ReplicatedLog.ServiceDefaults.Apis;

namespace ReplicatedLog.Master.Apis;

/// <summary>A validated <c>POST /messages</c> body.</summary>
internal sealed record AppendRequest(string Message, WriteConcern Concern, string? Id, TimeSpan? Timeout);

/// <summary>
/// Reads <c>{"message": "...", "w": 2 | "majority" | "all", "id": "...", "timeoutMs": 5000}</c> and says exactly what
/// is wrong with anything else (400), or that the message is too large (413).
/// </summary>
internal static class AppendRequestReader
{
    public const int MaxIdLength = 256;

    // A message of n UTF-8 bytes is at most 6n bytes of JSON (\uXXXX escapes), plus room for the other fields.
    private const int EnvelopeBytes = 64 * 1024;

    public static async Task<(AppendRequest? Request, ProblemHttpResult? Problem)> ReadAsync(
        HttpRequest http, int maxMessageBytes, WriteConcern defaultConcern, CancellationToken cancellationToken)
    {
        var bodyLimit = (6L * maxMessageBytes) + EnvelopeBytes;
        if (http.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = bodyLimit;
        }

        if (http.ContentLength > bodyLimit)
        {
            return (null, TooLarge(maxMessageBytes));
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(http.Body, default, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            return (null, Problems.BadRequest(http.ContentLength == 0 || ex.BytePositionInLine == 0 && ex.LineNumber == 0
                ? "The body is empty or not JSON: send {\"message\": \"text\", \"w\": 2}."
                : $"The body is not valid JSON: {ex.Message}"));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(maxMessageBytes));
        }

        using (document)
        {
            return Validate(document.RootElement, maxMessageBytes, defaultConcern);
        }
    }

    private static (AppendRequest?, ProblemHttpResult?) Validate(JsonElement root, int maxMessageBytes, WriteConcern defaultConcern)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Fail("The body must be a JSON object: {\"message\": \"text\", \"w\": 2}.");
        }

        string? message = null;
        var concern = defaultConcern;
        string? id = null;
        TimeSpan? timeout = null;
        foreach (var property in root.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name.ToLowerInvariant())
            {
                case "message":
                    if (value.ValueKind != JsonValueKind.String)
                    {
                        return Fail($"'message' must be a string; got {Describe(value)}.");
                    }

                    message = value.GetString()!;
                    break;
                case "w":
                    if (value.ValueKind == JsonValueKind.Null)
                    {
                        break;
                    }

                    var text = value.ValueKind switch
                    {
                        JsonValueKind.Number when value.TryGetInt32(out var n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        JsonValueKind.String => value.GetString(),
                        _ => null,
                    };
                    if (text is null || (value.ValueKind == JsonValueKind.String && int.TryParse(text, out _))
                        || !WriteConcern.TryParse(text, out var parsed))
                    {
                        return Fail($"'w' must be a whole number of at least 1, \"majority\" or \"all\"; got {Describe(value)}.");
                    }

                    concern = parsed.Value;
                    break;
                case "id":
                    if (value.ValueKind == JsonValueKind.Null)
                    {
                        break;
                    }

                    if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 and <= MaxIdLength } key)
                    {
                        return Fail($"'id' must be a non-empty string of at most {MaxIdLength} characters; got {Describe(value)}.");
                    }

                    id = key;
                    break;
                case "timeoutms":
                    if (value.ValueKind == JsonValueKind.Null)
                    {
                        break;
                    }

                    if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var ms) || ms < 0)
                    {
                        return Fail($"'timeoutMs' must be a whole number of milliseconds from 0 to {int.MaxValue}; got {Describe(value)}.");
                    }

                    timeout = TimeSpan.FromMilliseconds(ms);
                    break;
            }
        }

        if (message is null)
        {
            return Fail("'message' is required: send {\"message\": \"text\"}.");
        }

        var bytes = Encoding.UTF8.GetByteCount(message);
        if (bytes > maxMessageBytes)
        {
            return (null, Problems.TooLarge(
                $"The message is {bytes} UTF-8 bytes; the most this log takes is {maxMessageBytes} (Log:MaxMessageBytes)."));
        }

        return (new AppendRequest(message, concern, id, timeout), null);
    }

    private static ProblemHttpResult TooLarge(int maxMessageBytes) => Problems.TooLarge(
        $"The request is larger than any message this log takes: at most {maxMessageBytes} UTF-8 bytes (Log:MaxMessageBytes).");

    private static (AppendRequest?, ProblemHttpResult?) Fail(string detail) => (null, Problems.BadRequest(detail));

    private static string Describe(JsonElement value)
    {
        var raw = value.GetRawText();
        return raw.Length <= 40 ? raw : raw[..40] + "...";
    }
}
