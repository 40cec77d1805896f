using System.Net;
using System.Net.Sockets;
using ReplicatedLog.AppHost.Hosting.Events;

namespace ReplicatedLog.AppHost.Hosting;

/// <summary>
/// Runs a topology of services as child processes: starts each once what it waits for answers <c>/health</c>,
/// stops, kills, pauses and resumes them, and always cleans them up. The console front end is
/// <see cref="ConsoleRunner"/>; tests drive it directly.
/// </summary>
public sealed class ClusterHost : IAsyncDisposable
{
    private static readonly HttpClient HealthProbe = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly Dictionary<ServiceResource, Task> _starts = [];
    private readonly Lock _gate = new();

    internal ClusterHost(IReadOnlyList<ServiceResource> resources, AppHostSettings settings, string clusterToken)
    {
        Resources = resources;
        Settings = settings;
        ClusterToken = clusterToken;
    }

    /// <summary>This run's <c>Cluster__Token</c>: what a node started by hand, or a call to an admin route, needs.</summary>
    public string ClusterToken { get; }

    public IReadOnlyList<ServiceResource> Resources { get; }

    public AppHostSettings Settings { get; }

    public TimeSpan GracePeriod => TimeSpan.FromMilliseconds(Settings.GracePeriodMs);

    public ServiceResource this[string name] =>
        Resources.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new KeyNotFoundException($"No resource is named {name}.");

    /// <summary>The ports the topology needs that something else already listens on, with who needs them.</summary>
    public IReadOnlyList<string> PortsInUse() =>
        Resources.Where(r => !IsFree(r.Port)).Select(r => $"port {r.Port} (for {r.Name}) is already in use").ToList();

    /// <summary>Starts every resource, each once the resources it waits for are healthy.</summary>
    public async Task StartAllAsync(CancellationToken cancellationToken = default)
    {
        List<Task> starts;
        lock (_gate)
        {
            starts = Resources.Select(r => StartInOrder(r, cancellationToken)).ToList();
        }

        await Task.WhenAll(starts);
    }

    /// <summary>Starts one resource now, whatever it waits for, and waits until it answers <c>/health</c>.</summary>
    public async Task StartAsync(string name, CancellationToken cancellationToken = default)
    {
        var resource = this[name];
        await resource.LaunchAsync();
        await WaitForHealthyAsync(resource, cancellationToken);
        resource.MarkRunning();
    }

    /// <summary>SIGTERM, and SIGKILL after the grace period.</summary>
    public Task StopAsync(string name) => this[name].StopAsync(GracePeriod);

    /// <summary>SIGKILL, and waits until it is gone.</summary>
    public Task KillAsync(string name) => this[name].KillAsync();

    /// <summary>SIGSTOP: the process stays, but answers nothing.</summary>
    public void Pause(string name) => this[name].Pause();

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    public void Resume(string name) => this[name].Resume();

    /// <summary>An HTTP client for a resource, by name.</summary>
    public HttpClient CreateHttpClient(string name) => new() { BaseAddress = this[name].Url, Timeout = TimeSpan.FromSeconds(100) };

    /// <summary>Waits until the resource answers <c>/health</c> with a success status, or fails when it exits.</summary>
    public Task WaitForHealthyAsync(string name, CancellationToken cancellationToken = default) =>
        WaitForHealthyAsync(this[name], cancellationToken);

    /// <summary>Stops every running resource (dependents first), in parallel within each level.</summary>
    public async Task StopAllAsync()
    {
        var running = Resources.Where(r => r.IsAlive).ToList();
        // Those that wait for others go first, so nothing is left talking to a stopped dependency for long.
        var dependents = running.Where(r => r.WaitsFor.Count > 0).ToList();
        await Task.WhenAll(dependents.Select(r => r.StopAsync(GracePeriod)));
        await Task.WhenAll(running.Except(dependents).Select(r => r.StopAsync(GracePeriod)));
    }

    public async ValueTask DisposeAsync() => await StopAllAsync();

    private Task StartInOrder(ServiceResource resource, CancellationToken cancellationToken)
    {
        if (!_starts.TryGetValue(resource, out var start))
        {
            var dependencies = resource.WaitsFor.Select(d => StartInOrder(d, cancellationToken)).ToList();
            start = StartAfterAsync(resource, dependencies, cancellationToken);
            _starts[resource] = start;
        }

        return start;
    }

    private async Task StartAfterAsync(ServiceResource resource, List<Task> dependencies, CancellationToken cancellationToken)
    {
        if (dependencies.Count > 0)
        {
            resource.MarkWaiting();
            await Task.WhenAll(dependencies);
        }

        cancellationToken.ThrowIfCancellationRequested();
        await resource.LaunchAsync();
        await WaitForHealthyAsync(resource, cancellationToken);
        resource.MarkRunning();
    }

    private async Task WaitForHealthyAsync(ServiceResource resource, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Settings.HealthTimeoutMs);
        var health = new Uri(resource.Url, "health");
        string last = "no answer yet";
        while (true)
        {
            if (resource.WhenExited.IsCompleted && resource.State == ResourceState.Exited)
            {
                throw new ResourceFailedException(resource, $"{resource.Name} exited with code {resource.ExitCode} before it was healthy");
            }

            try
            {
                using var response = await HealthProbe.GetAsync(health, deadline.Token);
                if (response.IsSuccessStatusCode && resource.IsAlive)
                {
                    return;
                }

                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(deadline.Token)}";
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }
            catch (TaskCanceledException) when (!deadline.IsCancellationRequested)
            {
                last = "no answer within the probe's timeout";
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new ResourceFailedException(resource,
                    $"{resource.Name} did not answer {health} within {Settings.HealthTimeoutMs} ms (last: {last})");
            }

            try
            {
                // Polling pace while the child starts; the loop checks again at once after it.
                await Task.WhenAny(resource.WhenExited, Task.Delay(100, deadline.Token));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The deadline: the next round reports it.
            }
        }
    }

    private static bool IsFree(int port)
    {
        foreach (var address in new[] { IPAddress.Loopback, IPAddress.Any })
        {
            try
            {
                using var listener = new TcpListener(address, port);
                listener.Start();
            }
            catch (SocketException)
            {
                return false;
            }
        }

        return true;
    }
}
