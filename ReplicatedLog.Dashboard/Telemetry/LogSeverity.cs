namespace ReplicatedLog.Dashboard.Telemetry;

/// <summary>
/// OTLP's severity numbers and the level names the pages use, in one table: each level is the range of numbers from
/// its own up to the next (Information is 9 to 12).
/// </summary>
public static class LogSeverity
{
    private static readonly (int From, string Name)[] Levels =
        [(21, "Critical"), (17, "Error"), (13, "Warning"), (9, "Information"), (5, "Debug"), (1, "Trace")];

    /// <summary>The level a severity number falls in; Unspecified for 0.</summary>
    public static string Name(int number) => Levels.FirstOrDefault(l => number >= l.From).Name ?? "Unspecified";

    /// <summary>The lowest severity number of a level (also "info", "warn"); 0, every record, for none or an unknown one.</summary>
    public static int Minimum(string? level) => level?.ToLowerInvariant() switch
    {
        "info" => 9,
        "warn" => 13,
        null or "" => 0,
        var name => Levels.FirstOrDefault(l => string.Equals(l.Name, name, StringComparison.OrdinalIgnoreCase)).From,
    };
}
