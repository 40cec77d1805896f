using System.Text.Json;
using System.Text.Json.Serialization;
using ReplicatedLog.Core.Log;

namespace ReplicatedLog.Core.Contracts;

/// <summary>
/// Reads and writes a <see cref="LogEntry"/> by hand. A batch carries up to thousands of them, and the serializer's
/// converter for a record built by its constructor gathered each entry's properties before calling it: reading 64
/// entries took 53.6 µs where writing them took 11.7, and reading bounded how fast a secondary caught up. The JSON is
/// the serializer's, with its Web defaults: <c>{"index":7,"message":"text","generation":2}</c> written; on reading,
/// names matched without regard to case, numbers also given as strings, unknown properties skipped, a missing
/// message or index left null or 0 for the route to refuse.
/// </summary>
public sealed class LogEntryJsonConverter : JsonConverter<LogEntry>
{
    private static readonly JsonEncodedText IndexName = JsonEncodedText.Encode("index");
    private static readonly JsonEncodedText MessageName = JsonEncodedText.Encode("message");
    private static readonly JsonEncodedText GenerationName = JsonEncodedText.Encode("generation");

    public override LogEntry? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"An entry must be a JSON object, not {reader.TokenType}.");
        }

        long index = 0, generation = 0;
        string? message = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = Property(ref reader);
            reader.Read();
            switch (property)
            {
                case 'i':
                    index = Number(ref reader, "index");
                    break;
                case 'g':
                    generation = Number(ref reader, "generation");
                    break;
                case 'm':
                    message = reader.TokenType switch
                    {
                        JsonTokenType.String => reader.GetString(),
                        JsonTokenType.Null => null,
                        _ => throw new JsonException($"An entry's message must be a string, not {reader.TokenType}."),
                    };
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return new LogEntry(index, message!, generation);
    }

    public override void Write(Utf8JsonWriter writer, LogEntry value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber(IndexName, value.Index);
        writer.WriteString(MessageName, value.Message);
        writer.WriteNumber(GenerationName, value.Generation);
        writer.WriteEndObject();
    }

    /// <summary>Which property the reader is at: 'i', 'm', 'g', or '\0' for one an entry does not have.</summary>
    private static char Property(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals(IndexName.EncodedUtf8Bytes))
        {
            return 'i';
        }

        if (reader.ValueTextEquals(MessageName.EncodedUtf8Bytes))
        {
            return 'm';
        }

        if (reader.ValueTextEquals(GenerationName.EncodedUtf8Bytes))
        {
            return 'g';
        }

        var name = reader.GetString();
        return string.Equals(name, "index", StringComparison.OrdinalIgnoreCase) ? 'i'
            : string.Equals(name, "message", StringComparison.OrdinalIgnoreCase) ? 'm'
            : string.Equals(name, "generation", StringComparison.OrdinalIgnoreCase) ? 'g'
            : '\0';
    }

    private static long Number(ref Utf8JsonReader reader, string name)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value))
        {
            return value;
        }

        // A number given as a string, as the Web defaults read it (only a hand-written sender does that).
        if (reader.TokenType == JsonTokenType.String && long.TryParse(reader.GetString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out value))
        {
            return value;
        }

        throw new JsonException($"An entry's {name} must be a whole number.");
    }
}
