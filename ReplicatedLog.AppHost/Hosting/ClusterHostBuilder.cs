using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;

namespace ReplicatedLog.AppHost.Hosting;

/// <summary>
/// Collects the topology: configuration (appsettings.json, environment, command line), the services to run and how
/// they reference and wait for each other. <see cref="Build"/> makes the <see cref="ClusterHost"/> that runs them.
/// </summary>
public sealed class ClusterHostBuilder
{
    private readonly List<ServiceResource> _resources = [];

    private ClusterHostBuilder(IConfiguration configuration, AppHostSettings settings)
    {
        Configuration = configuration;
        Settings = settings;
        ClusterToken = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
    }

    public IConfiguration Configuration { get; }

    public AppHostSettings Settings { get; }

    /// <summary>A fresh secret for this run, given to every service as <c>Cluster__Token</c>.</summary>
    public string ClusterToken { get; }

    public IReadOnlyList<ServiceResource> Resources => _resources;

    /// <summary>
    /// Reads appsettings.json, the environment and the command line. Besides any configuration key
    /// (<c>--AppHost:BasePort=9000</c>) the command line takes <c>--secondaries N</c>, <c>--base-port P</c> and
    /// <c>--delay NAME=MS</c> (repeatable).
    /// </summary>
    public static ClusterHostBuilder Create(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(Expand(args))
            .Build();
        var settings = new AppHostSettings();
        configuration.GetSection(AppHostSettings.SectionName).Bind(settings);
        var errors = settings.Validate().ToList();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors));
        }

        return new ClusterHostBuilder(configuration, settings);
    }

    /// <summary>Adds a service run from the build output of <paramref name="project"/>, listening on <paramref name="port"/>.</summary>
    public ServiceResource AddService(string name, string project, int port)
    {
        if (_resources.Any(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ArgumentException($"There is already a resource named {name}.", nameof(name));
        }

        var resource = new ServiceResource(name, project, port).WithEnvironment("Cluster__Token", ClusterToken);
        _resources.Add(resource);
        return resource;
    }

    public ServiceResource this[string name] =>
        _resources.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new KeyNotFoundException($"No resource is named {name}.");

    public ClusterHost Build() => new(_resources, Settings, ClusterToken);

    /// <summary>Turns the short switches into configuration keys.</summary>
    internal static string[] Expand(string[] args)
    {
        var expanded = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var (name, value) = args[i].Split('=', 2) is [var n, var v] && n.StartsWith("--", StringComparison.Ordinal)
                ? (n, v)
                : (args[i], i + 1 < args.Length ? args[i + 1] : null);
            var inline = args[i].Contains('=', StringComparison.Ordinal);
            switch (name)
            {
                case "--secondaries":
                    expanded.Add($"--{AppHostSettings.SectionName}:{nameof(AppHostSettings.Secondaries)}={Require(name, value)}");
                    break;
                case "--base-port":
                    expanded.Add($"--{AppHostSettings.SectionName}:{nameof(AppHostSettings.BasePort)}={Require(name, value)}");
                    break;
                case "--delay":
                    var pair = Require(name, value).Split('=', 2);
                    if (pair.Length != 2 || !int.TryParse(pair[1], out _))
                    {
                        throw new ArgumentException($"--delay takes NAME=MILLISECONDS, e.g. --delay secondary-2=5000; got '{value}'.");
                    }

                    expanded.Add($"--{AppHostSettings.SectionName}:{nameof(AppHostSettings.Delays)}:{pair[0]}={pair[1]}");
                    break;
                default:
                    expanded.Add(args[i]);
                    continue;
            }

            if (!inline)
            {
                i++;
            }
        }

        return [.. expanded];
    }

    private static string Require(string name, string? value) =>
        value ?? throw new ArgumentException($"{name} needs a value.");
}
