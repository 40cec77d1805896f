using System.Globalization;
using ReplicatedLog.AppHost.Hosting.Dashboard;

namespace ReplicatedLog.AppHost.Hosting;

/// <summary>
/// The AppHost's command line: the short switches of <see cref="Switches"/>, and any configuration key as
/// <c>--Section:Key=value</c> or <c>--Section:Key value</c>. Anything else is an error that names the argument, so a
/// mistyped switch stops the AppHost instead of being ignored.
/// </summary>
internal static class CommandLine
{
    /// <summary>The short switches: what their value looks like, and the configuration setting a value makes.</summary>
    private static readonly Dictionary<string, Switch> Switches = new(StringComparer.Ordinal)
    {
        ["--secondaries"] = new("N", (name, value) => (Setting(nameof(AppHostSettings.Secondaries)), WholeNumber(name, value))),
        ["--base-port"] = new("P", (name, value) => (Setting(nameof(AppHostSettings.BasePort)), WholeNumber(name, value))),
        ["--delay"] = new("NAME=MS", Delay),
        ["--fresh"] = new(null, (_, _) => (Setting(nameof(AppHostSettings.Fresh)), "true")),
        ["--no-dashboard"] = new(null, (_, _) => (Setting($"{nameof(AppHostSettings.Dashboard)}:{nameof(DashboardSettings.Enabled)}"), "false")),
        ["--dashboard-port"] = new("P", (name, value) =>
            (Setting($"{nameof(AppHostSettings.Dashboard)}:{nameof(DashboardSettings.Port)}"), WholeNumber(name, value))),
        ["--publisher"] = new("NAME", (_, value) => (Setting(nameof(AppHostSettings.Publisher)), value)),
        ["--output-path"] = new("PATH", (_, value) => (Setting(nameof(AppHostSettings.OutputPath)), value)),
    };

    /// <summary>
    /// Turns the arguments into configuration arguments (<c>--secondaries 3</c> into <c>--AppHost:Secondaries=3</c>).
    /// Throws <see cref="ArgumentException"/> naming the first argument that is neither a switch nor a key.
    /// </summary>
    public static string[] Expand(string[] args)
    {
        var expanded = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var (name, value) = args[i].Split('=', 2) is [var n, var v] ? (n, v) : (args[i], null);
            var known = Switches.GetValueOrDefault(name);
            if (known is null && !(name.StartsWith("--", StringComparison.Ordinal) && name.Contains(':', StringComparison.Ordinal)))
            {
                throw new ArgumentException(
                    $"Unknown argument '{args[i]}'. The AppHost takes {string.Join(", ", Switches.Select(s => $"{s.Key} {s.Value.Value}".TrimEnd()))}, " +
                    "and configuration keys as --Section:Key=value (e.g. --AppHost:GracePeriodMs=3000).");
            }

            if (known is { Value: null })
            {
                value = value is null ? "" : throw new ArgumentException($"{name} takes no value; got '{args[i]}'.");
            }
            else if (value is null)
            {
                value = ++i < args.Length ? args[i] : throw new ArgumentException($"{name} needs a value.");
            }

            var (key, setting) = known is null ? (name[2..], value) : known.Expand(name, value);
            expanded.Add($"--{key}={setting}");
        }

        return [.. expanded];
    }

    private static string Setting(string property) => $"{AppHostSettings.SectionName}:{property}";

    private static string WholeNumber(string name, string value) =>
        IsWholeNumber(value) ? value : throw new ArgumentException($"{name} takes a whole number; got '{value}'.");

    private static (string Key, string Value) Delay(string name, string value) =>
        value.Split('=', 2) is [var secondary, var ms] && IsWholeNumber(ms)
            ? ($"{Setting(nameof(AppHostSettings.Delays))}:{secondary}", ms)
            : throw new ArgumentException($"{name} takes NAME=MILLISECONDS, e.g. {name} secondary-2=5000; got '{value}'.");

    private static bool IsWholeNumber(string value) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);

    /// <summary>
    /// A short switch: its value as the usage shows it (null for a flag, which takes none), and how a value becomes a
    /// configuration setting.
    /// </summary>
    private sealed record Switch(string? Value, Func<string, string, (string Key, string Value)> Expand);
}
