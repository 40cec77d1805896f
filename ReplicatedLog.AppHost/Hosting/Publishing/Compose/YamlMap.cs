using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ReplicatedLog.AppHost.Hosting.Publishing.Compose;

/// <summary>
/// A YAML mapping written in the order its entries were added, with comments before an entry. Values are strings
/// (always double-quoted, JSON's escapes, so no YAML 1.1 reader takes <c>8000:8080</c> for a number), numbers,
/// booleans, nested maps, lists of strings (block style) and <see cref="YamlFlow"/> lists (one line).
/// </summary>
internal sealed partial class YamlMap : List<(string? Comment, string Key, object Value)>
{
    private static readonly JsonSerializerOptions Quoting = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public void Add(string key, object value) => Add((null, key, value));

    public void Add(string? comment, string key, object value) => Add((comment, key, value));

    /// <summary>The mapping as YAML text, each level indented by two spaces.</summary>
    public string Write()
    {
        var text = new StringBuilder();
        Write(text, this, "");
        return text.ToString();
    }

    private static void Write(StringBuilder text, YamlMap map, string indent)
    {
        foreach (var (comment, key, value) in map)
        {
            foreach (var line in comment?.Split('\n') ?? [])
            {
                text.Append(indent).Append("# ").AppendLine(line);
            }

            text.Append(indent).Append(PlainKey().IsMatch(key) ? key : Scalar(key)).Append(':');
            switch (value)
            {
                case YamlMap { Count: 0 }:
                    text.AppendLine(" {}");
                    break;
                case YamlMap nested:
                    text.AppendLine();
                    Write(text, nested, indent + "  ");
                    break;
                case YamlFlow flow:
                    text.Append(" [").AppendJoin(", ", flow.Items.Select(Scalar)).AppendLine("]");
                    break;
                case IEnumerable<string> items:
                    text.AppendLine();
                    foreach (var item in items)
                    {
                        text.Append(indent).Append("  - ").AppendLine(Scalar(item));
                    }

                    break;
                default:
                    text.Append(' ').AppendLine(Scalar(value));
                    break;
            }
        }
    }

    private static string Scalar(object value) => value switch
    {
        string s => JsonSerializer.Serialize(s, Quoting),
        bool b => b ? "true" : "false",
        int or long => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        _ => throw new ArgumentException($"A YAML scalar is a string, a whole number or a boolean; got {value.GetType().Name}.", nameof(value)),
    };

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.-]*$")]
    private static partial Regex PlainKey();
}

/// <summary>A list of strings written on one line, as in <c>test: ["CMD", "bash", "-c", "..."]</c>.</summary>
internal sealed record YamlFlow(params IReadOnlyList<string> Items);
