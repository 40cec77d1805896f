using System.ComponentModel.DataAnnotations;
using ReplicatedLog.AppHost.Hosting.Dashboard;
using ReplicatedLog.AppHost.Hosting.Publishing;

namespace ReplicatedLog.AppHost.Hosting;

/// <summary>Section <c>AppHost</c>: the shape of the cluster (defaults in appsettings.json, overridden on the command line).</summary>
public sealed class AppHostSettings
{
    public const string SectionName = "AppHost";

    /// <summary>How many secondaries run (<c>--secondaries 3</c>).</summary>
    [Range(0, 100)]
    public int Secondaries { get; set; } = 2;

    /// <summary>The master listens on this port and <c>secondary-k</c> on BasePort+k (<c>--base-port 9000</c>).</summary>
    [Range(1, 65_000)]
    public int BasePort { get; set; } = 8000;

    /// <summary>Artificial delay per secondary, in ms (<c>--delay secondary-2=5000</c>).</summary>
    public Dictionary<string, int> Delays { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long a child has to exit after SIGTERM before it is killed.</summary>
    [Range(0, 600_000)]
    public int GracePeriodMs { get; set; } = 5_000;

    /// <summary>How long a child has to answer <c>/health</c> after it starts.</summary>
    [Range(1, 600_000)]
    public int HealthTimeoutMs { get; set; } = 60_000;

    /// <summary>
    /// Where the nodes keep their logs, one directory per resource (<c>Storage__Path</c>). Default: a directory per
    /// base port under the user's local data folder (<c>~/.local/share/ReplicatedLog/8000</c> on Linux).
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>Start from empty logs: the data directory is wiped before anything starts (<c>--fresh</c>).</summary>
    public bool Fresh { get; set; }

    /// <summary>
    /// Write the topology for a deployment with this publisher instead of running it (<c>--publisher compose</c>; the
    /// names are <see cref="Publishers.Names"/>).
    /// </summary>
    public string? Publisher { get; set; }

    /// <summary>Where the publisher writes (<c>--output-path deploy/compose</c>), relative to the current directory.</summary>
    public string? OutputPath { get; set; }

    /// <summary>The dashboard: whether it runs, and its ports.</summary>
    public DashboardSettings Dashboard { get; set; } = new();

    /// <summary><see cref="DataDirectory"/>, or its default for this base port.</summary>
    public string DataRoot => Path.GetFullPath(DataDirectory ?? Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create),
        "ReplicatedLog", BasePort.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>The directory a resource keeps its log in.</summary>
    public string DataDirectoryOf(string resource) => Path.Combine(DataRoot, resource);

    /// <summary>The secondaries' names: <c>secondary-1</c> to <c>secondary-N</c>.</summary>
    public IEnumerable<string> SecondaryNames => Enumerable.Range(1, Secondaries).Select(k => $"secondary-{k}");

    public int DelayOf(string resource) => Delays.TryGetValue(resource, out var delay) ? delay : 0;

    /// <summary>What is wrong, one line per problem.</summary>
    /// <param name="delaysAskedFor">Resources given a delay on the command line: each must be one of the secondaries.</param>
    public IEnumerable<string> Validate(IEnumerable<string> delaysAskedFor)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true);
        Validator.TryValidateObject(Dashboard, new ValidationContext(Dashboard), results, validateAllProperties: true);
        foreach (var result in results)
        {
            yield return result.ErrorMessage ?? "invalid AppHost setting";
        }

        var servicePorts = Enumerable.Range(BasePort, Secondaries + 1);
        if (Dashboard.Enabled && (Dashboard.Ports.Distinct().Count() < 3 || Dashboard.Ports.Intersect(servicePorts).Any()))
        {
            yield return $"The dashboard's ports ({string.Join(", ", Dashboard.Ports)}) must differ from each other and from the " +
                $"services' ({BasePort} to {BasePort + Secondaries}).";
        }

        if (BasePort + Secondaries > 65_535)
        {
            yield return $"AppHost:BasePort {BasePort} leaves no room for {Secondaries} secondaries below port 65535.";
        }

        var publishers = $"the publishers are {string.Join(", ", Publishers.Names)}";
        if (Publisher is not null && !Publishers.Names.Contains(Publisher, StringComparer.Ordinal))
        {
            yield return $"No publisher is named '{Publisher}': {publishers} (--publisher NAME --output-path PATH).";
        }
        else if (Publisher is not null && string.IsNullOrWhiteSpace(OutputPath))
        {
            yield return $"--publisher {Publisher} needs --output-path PATH, where to write its files ({publishers}).";
        }
        else if (Publisher is null && OutputPath is not null)
        {
            yield return $"--output-path {OutputPath} needs --publisher NAME, what to write ({publishers}).";
        }

        foreach (var (name, delay) in Delays)
        {
            if (delay < 0)
            {
                yield return $"The delay of {name} must be 0 or more milliseconds; got {delay}.";
            }
        }

        foreach (var name in delaysAskedFor.Where(n => !SecondaryNames.Contains(n, StringComparer.OrdinalIgnoreCase)))
        {
            var secondaries = Secondaries switch
            {
                0 => "this cluster has no secondaries",
                1 => "the only secondary is secondary-1",
                _ => $"the {Secondaries} secondaries are secondary-1 to secondary-{Secondaries}",
            };
            yield return $"No secondary is named {name} (--delay {name}={DelayOf(name)}): {secondaries}.";
        }
    }
}
