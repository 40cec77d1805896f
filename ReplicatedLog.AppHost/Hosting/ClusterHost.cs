using ReplicatedLog.AppHost.Hosting.Dashboard;
using ReplicatedLog.AppHost.Hosting.Events;
using ReplicatedLog.AppHost.Hosting.Model;
using ReplicatedLog.AppHost.Hosting.Runtime;

namespace ReplicatedLog.AppHost.Hosting;

/// <summary>
/// A built topology: the resources (data), the runner that runs them as processes, and the stream of what happens to
/// them, which any number of front ends subscribe to (the console is one; with a dashboard, the resource service
/// that the dashboard reads is another). Disposing it stops every process.
/// </summary>
public sealed class ClusterHost : IAsyncDisposable
{
    internal ClusterHost(IReadOnlyList<ServiceResource> resources, IReadOnlyList<Parameter> parameters, AppHostSettings settings, DashboardResource? dashboard)
    {
        Resources = resources;
        Parameters = parameters;
        Settings = settings;
        Dashboard = dashboard;
        Runner = new ResourceRunner(resources, Events,
            TimeSpan.FromMilliseconds(settings.GracePeriodMs), TimeSpan.FromMilliseconds(settings.HealthTimeoutMs));
        if (dashboard is not null)
        {
            ResourceService = new ResourceService(this, dashboard.ResourceServiceApiKey?.Value, excluded: [dashboard.Resource.Name]);
        }
    }

    public IReadOnlyList<ServiceResource> Resources { get; }

    /// <summary>The values the topology declared for this run (those with a description are shown to the user).</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    public AppHostSettings Settings { get; }

    /// <summary>Every change of state and line of output of every resource, for any number of subscribers.</summary>
    public ResourceEvents Events { get; } = new();

    public ResourceRunner Runner { get; }

    /// <summary>The dashboard, when the topology has one.</summary>
    public DashboardResource? Dashboard { get; }

    /// <summary>What the dashboard reads the resources from and sends commands to; there when the dashboard is.</summary>
    public ResourceService? ResourceService { get; }

    /// <summary>Starts the resource service (if any), then every resource in order (<see cref="ResourceRunner.StartAllAsync"/>).</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (ResourceService is not null && Dashboard is not null)
        {
            Dashboard.ResourceServiceUrl = await ResourceService.StartAsync(cancellationToken);
        }

        await Runner.StartAllAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await Runner.StopAllAsync();
        if (ResourceService is not null)
        {
            await ResourceService.DisposeAsync();
        }
    }
}
