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
    /// <c>--delay NAME=MS</c> (repeatable). Throws <see cref="ArgumentException"/> with one line per problem: an
    /// unknown argument, a value of the wrong kind, a setting out of range, a delay for a secondary that does not exist.
    /// </summary>
    public static ClusterHostBuilder Create(string[] args)
    {
        var commandLine = new ConfigurationBuilder().AddCommandLine(CommandLine.Expand(args)).Build();
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddConfiguration(commandLine)
            .Build();
        var settings = new AppHostSettings();
        try
        {
            configuration.GetSection(AppHostSettings.SectionName).Bind(settings);
        }
        catch (InvalidOperationException ex)
        {
            throw new ArgumentException(ex.Message, ex);
        }

        // Only the delays asked for on this command line must name a secondary: appsettings.json gives secondary-2 a
        // delay that a run with --secondaries 1 simply does not use.
        var delaysAskedFor = commandLine.GetSection($"{AppHostSettings.SectionName}:{nameof(AppHostSettings.Delays)}")
            .GetChildren().Select(c => c.Key);
        var errors = settings.Validate(delaysAskedFor).ToList();
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
}
