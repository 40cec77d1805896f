using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using ReplicatedLog.Master.Replication;
using ReplicatedLog.ServiceDefaults.Apis;

namespace ReplicatedLog.Master.Apis;

/// <summary>A validated append request.</summary>
internal sealed record AppendRequest(string Message, WriteConcern Concern, string? Id, TimeSpan? Timeout);

/// <summary>
/// Reads an append: <c>{"message": "...", "w": 2 | "majority" | "all", "id": "...", "timeoutMs": 5000}</c>, and the
/// shapes the course's clients send (<see cref="AppendFields"/>), and says exactly what is wrong with anything else
/// (400), or that the message is too large (413). A field it does not know is refused by name, never ignored: a
/// client that misspells <c>w</c> must not be held waiting for every node.
/// </summary>
internal static class AppendRequestReader
{
    public const int MaxIdLength = 256;

    private const string Example = "{\"message\": \"text\", \"w\": 2}";

    private const string WriteConcernRule = "the write concern 'w' must be a whole number of at least 1, \"majority\" or \"all\"";

    // A message of n UTF-8 bytes is at most 6n bytes of JSON (\uXXXX escapes), plus room for the other fields.
    private const int EnvelopeBytes = 64 * 1024;

    public static async Task<(AppendRequest? Request, ProblemHttpResult? Problem)> ReadAsync(
        HttpRequest http, int maxMessageBytes, WriteConcern defaultConcern, CancellationToken cancellationToken)
    {
        var bodyLimit = (6L * maxMessageBytes) + EnvelopeBytes;
        if (http.ContentLength > bodyLimit)
        {
            return (null, TooLarge(maxMessageBytes));
        }

        var (queryConcern, queryProblem) = ReadQuery(http.Query);
        if (queryProblem is not null)
        {
            return (null, queryProblem);
        }

        var (document, problem) = await JsonObjectBody.ReadAsync(http, Example, bodyLimit, cancellationToken, checkText: false)
            .ConfigureAwait(false);
        if (document is null)
        {
            return (null, problem);
        }

        using (document)
        {
            try
            {
                return Validate(document.RootElement, maxMessageBytes, queryConcern ?? defaultConcern, queryConcern is not null);
            }
            catch (InvalidOperationException) when (JsonObjectBody.NotUnicode(document.RootElement) is { } notUnicode)
            {
                // A string that is not Unicode (a lone surrogate escape, bytes that are not UTF-8): each string is
                // decoded once, by Validate, and only a body that fails is searched for where.
                return (null, notUnicode);
            }
        }
    }

    private static (WriteConcern?, ProblemHttpResult?) ReadQuery(IQueryCollection query)
    {
        WriteConcern? concern = null;
        foreach (var (name, values) in query)
        {
            if (!AppendFields.QueryParameters.Contains(name))
            {
                return (null, Problems.BadRequest(
                    $"Unknown query parameter '{name}'. An append takes only ?w= (the write concern); everything else goes in the body."));
            }

            if (values.Count != 1 || !WriteConcern.TryParse(values[0], out var parsed))
            {
                return (null, Problems.BadRequest($"In the query, {WriteConcernRule}; got '{values}'."));
            }

            concern = parsed;
        }

        return (concern, null);
    }

    private static (AppendRequest?, ProblemHttpResult?) Validate(
        JsonElement root, int maxMessageBytes, WriteConcern concern, bool concernFromQuery)
    {
        string? message = null;
        string? id = null;
        TimeSpan? timeout = null;
        // The name each field was given by, by field: four slots, not a dictionary, on every append.
        var seen = new string?[AppendFields.Count];
        foreach (var property in root.EnumerateObject())
        {
            var name = property.Name;
            if (!AppendFields.ByName.TryGetValue(name, out var field))
            {
                return Fail($"Unknown field '{Shorten(name)}'. {AppendFields.Describe()}");
            }

            if (seen[(int)field] is { } earlier)
            {
                return Fail($"The body gives the {AppendFields.CanonicalName(field)} twice, as '{earlier}' and as '{name}'.");
            }

            seen[(int)field] = name;

            var value = property.Value;
            if (value.ValueKind == JsonValueKind.Null && field != AppendField.Message)
            {
                continue; // an optional field given as null is the same as one left out
            }

            switch (field)
            {
                case AppendField.Message:
                    if (value.ValueKind != JsonValueKind.String)
                    {
                        return Fail($"'{name}' (the message) must be a string; got {Describe(value)}.");
                    }

                    message = value.GetString()!;
                    break;
                case AppendField.W:
                    if (concernFromQuery)
                    {
                        return Fail($"The write concern is given twice, as ?w= and as '{name}' in the body: give it once.");
                    }

                    var text = value.ValueKind switch
                    {
                        JsonValueKind.Number when value.TryGetInt32(out var n) => n.ToString(CultureInfo.InvariantCulture),
                        JsonValueKind.String when !int.TryParse(value.GetString(), out _) => value.GetString(),
                        _ => null,
                    };
                    if (!WriteConcern.TryParse(text, out var parsed))
                    {
                        return Fail($"'{name}': {WriteConcernRule}; got {Describe(value)}.");
                    }

                    concern = parsed.Value;
                    break;
                case AppendField.Id:
                    // A string, or (as course clients send it) a whole number, which stands for the same key as its digits.
                    var key = value.ValueKind switch
                    {
                        JsonValueKind.String => value.GetString(),
                        JsonValueKind.Number when value.TryGetInt64(out var n) => n.ToString(CultureInfo.InvariantCulture),
                        _ => null,
                    };
                    if (key is not { Length: > 0 and <= MaxIdLength })
                    {
                        return Fail($"'{name}' (the idempotency key) must be a non-empty string of at most {MaxIdLength} characters, or a whole number; got {Describe(value)}.");
                    }

                    id = key;
                    break;
                case AppendField.TimeoutMs:
                    if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var ms) || ms < 0)
                    {
                        return Fail($"'{name}' must be a whole number of milliseconds from 0 to {int.MaxValue}; got {Describe(value)}.");
                    }

                    timeout = TimeSpan.FromMilliseconds(ms);
                    break;
            }
        }

        if (message is null)
        {
            return Fail("'message' is required (a string): send {\"message\": \"text\"}.");
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

    private static string Describe(JsonElement value) => JsonObjectBody.Describe(value);

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
