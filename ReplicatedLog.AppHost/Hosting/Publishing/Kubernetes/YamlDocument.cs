using YamlDotNet.Serialization;

namespace ReplicatedLog.AppHost.Hosting.Publishing.Kubernetes;

/// <summary>
/// Builds Kubernetes objects as plain maps (keys in the order written, entries whose value is null left out) and
/// writes them as YAML: strings that would read as another type (<c>"0"</c>, <c>"true"</c>) quoted, lists indented
/// under their key as <c>kubectl</c> writes them.
/// </summary>
internal static class YamlDocument
{
    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithQuotingNecessaryStrings()
        .WithIndentedSequences()
        .DisableAliases()
        .Build();

    /// <summary>A map of the pairs whose value is not null, in their order.</summary>
    public static Dictionary<string, object> Map(params (string Key, object? Value)[] pairs)
    {
        var map = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            if (value is not null)
            {
                map.Add(key, value);
            }
        }

        return map;
    }

    public static List<object> List(params IEnumerable<object> items) => [.. items];

    /// <summary>The objects as one YAML stream, each document after <c>---</c>, below a comment of <paramref name="header"/> lines.</summary>
    public static string Write(IEnumerable<string> header, params IEnumerable<object> documents)
    {
        var comment = string.Concat(header.Select(line => line.Length == 0 ? "#\n" : $"# {line}\n"));
        return comment + string.Concat(documents.Select(d => "---\n" + Serializer.Serialize(d)));
    }
}
