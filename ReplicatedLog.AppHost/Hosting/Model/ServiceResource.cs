using System.Globalization;

namespace ReplicatedLog.AppHost.Hosting.Model;

/// <summary>
/// One resource of the topology, as data: what it runs, where it listens, what it is told (environment callbacks,
/// evaluated each time it starts), which resources it references and waits for, how its health is checked, and the
/// properties a front end shows beside it. Running it is the runner's business; nothing here holds a process.
/// </summary>
public sealed class ServiceResource
{
    private readonly List<Endpoint> _endpoints = [];
    private readonly List<Action<EnvironmentContext>> _environment = [];
    private readonly List<ServiceResource> _references = [];
    private readonly List<ServiceResource> _waitsFor = [];
    private readonly List<KeyValuePair<string, string>> _properties = [];
    private (string Endpoint, string Path)? _healthCheck;
    private DataVolume? _dataVolume;

    internal ServiceResource(string name, ResourceCommand command)
    {
        Name = name;
        Command = command;
        WithEnvironment(context => context.Variables["OTEL_SERVICE_NAME"] = Name);
        if (command is ResourceCommand.Project)
        {
            // Where a project listens, as Aspire tells it. Only when it runs here: a deployment binds its own addresses.
            WithEnvironment(context =>
            {
                if (context.Mode == ExecutionMode.Run && _endpoints.Count > 0)
                {
                    context.Variables["ASPNETCORE_URLS"] = string.Join(';', _endpoints.Select(e => e.ValueFor(ExecutionMode.Run)));
                }
            });
        }
    }

    public string Name { get; }

    public ResourceCommand Command { get; }

    public IReadOnlyList<Endpoint> Endpoints => _endpoints;

    public IReadOnlyList<ServiceResource> References => _references;

    public IReadOnlyList<ServiceResource> WaitsFor => _waitsFor;

    /// <summary>Name and value of what a front end shows beside the resource (a column of the console's table).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Properties => _properties;

    /// <summary>The URL that answers a success status once the resource is ready; null when it has no health check, and is ready once it runs.</summary>
    public Uri? HealthUrl => _healthCheck is var (endpoint, path) ? new Uri(GetEndpoint(endpoint).Url, path.TrimStart('/')) : null;

    /// <summary>The endpoint the health check asks; null when the resource has none.</summary>
    public Endpoint? HealthEndpoint => _healthCheck is var (endpoint, _) ? GetEndpoint(endpoint) : null;

    /// <summary>Where the resource keeps its data when deployed; null when it keeps none.</summary>
    public DataVolume? DataVolume => _dataVolume;

    public Endpoint GetEndpoint(string name = "http") =>
        _endpoints.FirstOrDefault(e => e.Name == name) ?? throw new KeyNotFoundException($"{Name} has no endpoint named {name}.");

    /// <summary>
    /// An HTTP endpoint on <paramref name="port"/>; deployed, the resource listens on <paramref name="targetPort"/>
    /// in its container, and the host publishes <paramref name="port"/> if it <paramref name="isExternal"/>.
    /// </summary>
    public ServiceResource WithHttpEndpoint(int port, string name = "http", int targetPort = Endpoint.AspNetCoreContainerPort, bool isExternal = false)
    {
        if (_endpoints.Any(e => e.Name == name))
        {
            throw new ArgumentException($"{Name} already has an endpoint named {name}.", nameof(name));
        }

        _endpoints.Add(new Endpoint(Name, name, "http", port, targetPort, isExternal));
        return this;
    }

    /// <summary>The resource is ready once <paramref name="path"/> on <paramref name="endpoint"/> answers a success status.</summary>
    public ServiceResource WithHttpHealthCheck(string path, string endpoint = "http")
    {
        _healthCheck = (endpoint, path);
        return this;
    }

    /// <summary>
    /// The resource keeps its data in the directory <paramref name="variable"/> names: <paramref name="directory"/> when
    /// the model runs here; deployed, a volume of its own (<c>{name}-data</c>) mounted at <see cref="DataVolume.DeployedPath"/>.
    /// </summary>
    public ServiceResource WithDataVolume(string variable, string directory)
    {
        _dataVolume = new DataVolume($"{Name}-data", DataVolume.DeployedPath);
        return WithEnvironment(context =>
            context.Variables[variable] = context.Mode == ExecutionMode.Run ? directory : DataVolume.DeployedPath);
    }

    public ServiceResource WithEnvironment(string name, object value)
    {
        var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
        return WithEnvironment(context => context.Variables[name] = text);
    }

    public ServiceResource WithEnvironment(string name, Parameter parameter) =>
        WithEnvironment(context => context.Variables[name] = parameter.ValueFor(context.Mode));

    /// <summary>A callback that sets variables each time the environment is evaluated (when the resource starts, or is rendered).</summary>
    public ServiceResource WithEnvironment(Action<EnvironmentContext> callback)
    {
        _environment.Add(callback);
        return this;
    }

    /// <summary>
    /// Gives this resource the address of each endpoint of <paramref name="others"/> as Aspire does
    /// (<c>services__{name}__{endpoint}__0</c>), read when this resource starts.
    /// </summary>
    public ServiceResource WithReference(params IEnumerable<ServiceResource> others)
    {
        foreach (var other in others)
        {
            _references.Add(other);
            WithEnvironment(context =>
            {
                foreach (var endpoint in other.Endpoints)
                {
                    context.Variables[$"services__{other.Name}__{endpoint.Name}__0"] = endpoint.ValueFor(context.Mode);
                }
            });
        }

        return this;
    }

    /// <summary>This resource starts only once <paramref name="others"/> are ready (healthy, where they have a health check).</summary>
    public ServiceResource WaitFor(params IEnumerable<ServiceResource> others)
    {
        _waitsFor.AddRange(others);
        return this;
    }

    public ServiceResource WithProperty(string name, string value)
    {
        _properties.Add(new(name, value));
        return this;
    }

    /// <summary>The environment as the callbacks give it now, in the order they were added.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentFor(ExecutionMode mode)
    {
        var context = new EnvironmentContext(this, mode);
        foreach (var callback in _environment)
        {
            callback(context);
        }

        return context.Variables.AsReadOnly();
    }
}
