using System.Diagnostics.CodeAnalysis;

namespace ReplicatedLog.Master.Replication;

/// <summary>
/// How many nodes, the master included, must hold an entry before its append is answered: a number, a majority
/// (floor((1+N)/2)+1) or all (1+N), where N is the number of secondaries at the time of the append.
/// </summary>
public readonly record struct WriteConcern
{
    private const int MajorityMarker = -1;
    private const int AllMarker = -2;

    private readonly int _value;

    private WriteConcern(int value) => _value = value;

    public static WriteConcern Majority { get; } = new(MajorityMarker);

    public static WriteConcern All { get; } = new(AllMarker);

    public static WriteConcern Nodes(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return new WriteConcern(count);
    }

    /// <summary>Reads <c>"majority"</c>, <c>"all"</c> (any case) or a whole number of at least 1.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out WriteConcern? concern)
    {
        concern = text?.Trim().ToLowerInvariant() switch
        {
            "majority" => Majority,
            "all" => All,
            var s when int.TryParse(s, out var n) && n >= 1 => Nodes(n),
            _ => null,
        };
        return concern is not null;
    }

    /// <summary>The number of nodes this concern asks for in a cluster of the master and <paramref name="secondaries"/>.</summary>
    public int Resolve(int secondaries) => _value switch
    {
        MajorityMarker => ((1 + secondaries) / 2) + 1,
        AllMarker => 1 + secondaries,
        _ => _value,
    };

    public override string ToString() => _value switch
    {
        MajorityMarker => "majority",
        AllMarker => "all",
        _ => _value.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
