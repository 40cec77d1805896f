using ReplicatedLog.AppHost.Hosting.Events;
using ReplicatedLog.AppHost.Hosting.Model;
using ReplicatedLog.AppHost.Hosting.Runtime;

namespace ReplicatedLog.AppHost.Hosting;

/// <summary>
/// A built topology: the resources (data), the runner that runs them as processes, and the stream of what happens to
/// them, which any number of front ends subscribe to (the console is one; the resource service that a dashboard
/// reads can be another). Disposing it stops every process.
/// </summary>
public sealed class ClusterHost : IAsyncDisposable
{
    internal ClusterHost(IReadOnlyList<ServiceResource> resources, IReadOnlyList<Parameter> parameters, AppHostSettings settings)
    {
        Resources = resources;
        Parameters = parameters;
        Settings = settings;
        Runner = new ResourceRunner(resources, Events,
            TimeSpan.FromMilliseconds(settings.GracePeriodMs), TimeSpan.FromMilliseconds(settings.HealthTimeoutMs));
    }

    public IReadOnlyList<ServiceResource> Resources { get; }

    /// <summary>The values the topology declared for this run (those with a description are shown to the user).</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    public AppHostSettings Settings { get; }

    /// <summary>Every change of state and line of output of every resource, for any number of subscribers.</summary>
    public ResourceEvents Events { get; } = new();

    public ResourceRunner Runner { get; }

    public async ValueTask DisposeAsync() => await Runner.StopAllAsync();
}
