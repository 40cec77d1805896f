using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ReplicatedLog.ServiceDefaults.Apis;

/// <summary>
/// Reads a request body as one JSON object whatever its content type (<c>curl -d</c> sends form-urlencoded), and
/// says what is wrong with anything else (400): empty, not JSON, not an object, text that is not Unicode. A body over
/// the limit is a <see cref="BadHttpRequestException"/> (413) that <see cref="BadRequestExceptionHandler"/> answers.
/// </summary>
public static class JsonObjectBody
{
    /// <param name="example">A body that would be right, quoted in every answer.</param>
    /// <param name="maxBytes">The most this route reads.</param>
    /// <param name="checkText">
    /// False for a caller on the hot path that reads every string anyway: it then catches the
    /// <see cref="InvalidOperationException"/> of a string that is not Unicode and answers <see cref="NotUnicode"/>,
    /// so each string is decoded once.
    /// </param>
    public static async Task<(JsonDocument? Document, ProblemHttpResult? Problem)> ReadAsync(
        HttpRequest request, string example, long maxBytes, CancellationToken cancellationToken, bool checkText = true)
    {
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, default, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            return (null, Problems.BadRequest(ex is { LineNumber: 0, BytePositionInLine: 0 }
                ? $"The body is empty or not JSON: send {example}."
                : $"The body is not valid JSON ({ex.Message}): send {example}."));
        }

        var problem = document.RootElement.ValueKind != JsonValueKind.Object
            ? Problems.BadRequest($"The body must be a JSON object, not {Describe(document.RootElement)}: send {example}.")
            : checkText ? NotUnicode(document.RootElement) : null;
        if (problem is not null)
        {
            document.Dispose();
            return (null, problem);
        }

        return (document, null);
    }

    /// <summary>The 400 for a body holding text that is not Unicode, saying where; null when all its text is.</summary>
    public static ProblemHttpResult? NotUnicode(JsonElement root) => FindTextThatIsNotUnicode(root) is { } where
        ? Problems.BadRequest($"The body holds text that is not Unicode (a lone surrogate escape or bytes that are not UTF-8) {where}.")
        : null;

    /// <summary>A value as it was sent, shortened, to quote in an answer.</summary>
    public static string Describe(JsonElement value)
    {
        var raw = value.GetRawText();
        return raw.Length <= 40 ? raw : raw[..40] + "...";
    }

    /// <summary>
    /// Where a string or a property name cannot be read as text, or null. The parser accepts both; reading them
    /// later would throw <see cref="InvalidOperationException"/>, so they are refused here, once.
    /// </summary>
    private static string? FindTextThatIsNotUnicode(JsonElement element)
    {
        try
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    _ = element.GetString();
                    break;
                case JsonValueKind.Array:
                    return element.EnumerateArray().Select(FindTextThatIsNotUnicode).FirstOrDefault(w => w is not null);
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        if (IsNotUnicode(property))
                        {
                            return "in a property name";
                        }

                        if (FindTextThatIsNotUnicode(property.Value) is { } where)
                        {
                            return where == "in a value" ? $"in the value of '{property.Name}'" : where;
                        }
                    }

                    break;
            }
        }
        catch (InvalidOperationException)
        {
            return "in a value";
        }

        return null;
    }

    private static bool IsNotUnicode(JsonProperty property)
    {
        try
        {
            _ = property.Name;
            return false;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }
}
