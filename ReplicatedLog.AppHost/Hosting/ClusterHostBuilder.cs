using Microsoft.Extensions.Configuration;
using ReplicatedLog.AppHost.Hosting.Dashboard;
using ReplicatedLog.AppHost.Hosting.Model;

namespace ReplicatedLog.AppHost.Hosting;

/// <summary>
/// Collects the topology: configuration (appsettings.json, environment, command line), the resources to run and how
/// they reference and wait for each other, and the parameters of the run. <see cref="Build"/> makes the
/// <see cref="ClusterHost"/> that runs them.
/// </summary>
public sealed class ClusterHostBuilder
{
    private readonly List<ServiceResource> _resources = [];
    private readonly List<Parameter> _parameters = [];
    private DashboardResource? _dashboard;

    private ClusterHostBuilder(IConfiguration configuration, AppHostSettings settings)
    {
        Configuration = configuration;
        Settings = settings;
    }

    public IConfiguration Configuration { get; }

    public AppHostSettings Settings { get; }

    public IReadOnlyList<ServiceResource> Resources => _resources;

    public IReadOnlyList<Parameter> Parameters => _parameters;

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

    /// <summary>Adds a resource run from the build output of <paramref name="project"/> (<see cref="ServiceBinaries"/>).</summary>
    public ServiceResource AddProject(string name, string project) => Add(new ServiceResource(name, new ResourceCommand.Project(project)));

    /// <summary>Adds a resource that runs <paramref name="fileName"/> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>.</summary>
    public ServiceResource AddExecutable(string name, string fileName, string workingDirectory, params IEnumerable<string> arguments) =>
        Add(new ServiceResource(name, new ResourceCommand.Executable(fileName, [.. arguments], workingDirectory)));

    /// <summary>
    /// Declares a value of this run, shown to the user as <c>{description}: {value}</c> when it has a description, and
    /// masked where resources' environments are shown when it is <paramref name="secret"/>.
    /// </summary>
    public Parameter AddParameter(string name, string value, string? description = null, bool secret = false)
    {
        var parameter = new Parameter(name, value, description, secret);
        _parameters.Add(parameter);
        return parameter;
    }

    public ServiceResource this[string name] =>
        _resources.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new KeyNotFoundException($"No resource is named {name}.");

    /// <summary>
    /// Adds the dashboard (<see cref="DashboardResource"/>): once the model is built, every other resource waits for
    /// it and every project sends it its telemetry. At most once.
    /// </summary>
    public DashboardResource AddDashboard()
    {
        if (_dashboard is not null)
        {
            throw new InvalidOperationException("The dashboard is already added.");
        }

        return _dashboard = DashboardResource.Add(this);
    }

    public ClusterHost Build() => new(CompleteModel(), _parameters, Settings, _dashboard);

    /// <summary>
    /// Finishes the model as <see cref="Build"/> does, without a host to run it: with a dashboard, every other
    /// resource waits for it and sends it its telemetry. A publisher calls it before it reads the resources. Calling it
    /// again changes nothing.
    /// </summary>
    public IReadOnlyList<ServiceResource> CompleteModel()
    {
        _dashboard?.Serve(_resources);
        return _resources;
    }

    private ServiceResource Add(ServiceResource resource)
    {
        if (_resources.Any(r => string.Equals(r.Name, resource.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ArgumentException($"There is already a resource named {resource.Name}.", nameof(resource));
        }

        _resources.Add(resource);
        return resource;
    }
}
