using System.Globalization;

namespace ReplicatedLog.Bench.Options;

/// <summary>
/// The <c>w</c> every append asks for, as the master reads it: a number of nodes (the master included), or
/// <c>majority</c> or <c>all</c>, which the master resolves against the secondaries it has.
/// </summary>
public sealed record WriteConcern
{
    public static readonly WriteConcern All = new("all", null);

    private WriteConcern(string text, int? nodes)
    {
        Text = text;
        Nodes = nodes;
    }

    /// <summary>As given: <c>3</c>, <c>majority</c> or <c>all</c>.</summary>
    public string Text { get; }

    /// <summary>The number of nodes when it is a number; null for <c>majority</c> and <c>all</c>.</summary>
    public int? Nodes { get; }

    /// <summary>The value of <c>"w"</c> in a request body: a JSON number, or a JSON string for a name.</summary>
    public string Json => Nodes is { } n ? n.ToString(CultureInfo.InvariantCulture) : $"\"{Text}\"";

    /// <summary>A whole number of at least 1, <c>majority</c> or <c>all</c> (in any case); null for anything else.</summary>
    public static WriteConcern? Parse(string text) =>
        text.Trim().ToLowerInvariant() switch
        {
            "all" => All,
            "majority" => new("majority", null),
            var t when int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 => new(t, n),
            _ => null,
        };

    public override string ToString() => Text;
}
