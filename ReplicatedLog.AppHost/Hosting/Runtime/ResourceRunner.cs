using System.Net;
using System.Net.Sockets;
using ReplicatedLog.AppHost.Hosting.Events;
using ReplicatedLog.AppHost.Hosting.Model;

namespace ReplicatedLog.AppHost.Hosting.Runtime;

/// <summary>
/// Runs the model as child processes: starts each resource once those it waits for are ready, with its environment
/// evaluated at that moment; stops (SIGTERM, SIGKILL after the grace period), kills, pauses, resumes and restarts
/// them on request; stops them all in order. What happens is published on <see cref="ResourceEvents"/>.
/// </summary>
public sealed class ResourceRunner
{
    private static readonly HttpClient HealthProbe = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly Dictionary<ResourceProcess, Task> _starts = [];
    private readonly Lock _lock = new();
    private readonly TimeSpan _healthTimeout;

    internal ResourceRunner(IEnumerable<ServiceResource> resources, ResourceEvents events, TimeSpan gracePeriod, TimeSpan healthTimeout)
    {
        Processes = resources.Select(r => new ResourceProcess(r, events)).ToList();
        GracePeriod = gracePeriod;
        _healthTimeout = healthTimeout;
    }

    /// <summary>One per resource, in the topology's order.</summary>
    public IReadOnlyList<ResourceProcess> Processes { get; }

    /// <summary>How long a child has after SIGTERM before it gets SIGKILL.</summary>
    public TimeSpan GracePeriod { get; }

    public ResourceProcess this[string name] =>
        Processes.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new KeyNotFoundException($"No resource is named {name}.");

    /// <summary>The endpoints whose port something else already listens on.</summary>
    public IReadOnlyList<Endpoint> PortsInUse() =>
        Processes.SelectMany(p => p.Resource.Endpoints).Where(e => !IsFree(e.Port)).ToList();

    /// <summary>Starts every resource, each once the resources it waits for are ready.</summary>
    public async Task StartAllAsync(CancellationToken cancellationToken = default)
    {
        List<Task> starts;
        lock (_lock)
        {
            starts = Processes.Select(p => StartInOrder(p, cancellationToken)).ToList();
        }

        await Task.WhenAll(starts);
    }

    /// <summary>Starts one resource now, whatever it waits for, and waits until it is ready. After an exit, this is a restart.</summary>
    public Task StartAsync(string name, CancellationToken cancellationToken = default) => StartNowAsync(this[name], cancellationToken);

    /// <summary>Stops a resource (as <see cref="StopAsync"/>) and starts it again.</summary>
    public async Task RestartAsync(string name, CancellationToken cancellationToken = default)
    {
        await StopAsync(name);
        await StartAsync(name, cancellationToken);
    }

    /// <summary>SIGTERM, and SIGKILL after the grace period.</summary>
    public Task StopAsync(string name) => this[name].StopAsync(GracePeriod);

    /// <summary>SIGKILL, and waits until it is gone.</summary>
    public Task KillAsync(string name) => this[name].KillAsync();

    /// <summary>SIGSTOP: the process stays, but answers nothing.</summary>
    public void Pause(string name) => this[name].Pause();

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    public void Resume(string name) => this[name].Resume();

    /// <summary>Waits until the resource is ready (its health check answers), or fails when it exits.</summary>
    public Task WaitForReadyAsync(string name, CancellationToken cancellationToken = default) =>
        WaitForReadyAsync(this[name], cancellationToken);

    /// <summary>
    /// Stops every running resource, each once those that wait for it have stopped (the master before its
    /// secondaries, everything before the dashboard), in parallel where nothing orders them.
    /// </summary>
    public async Task StopAllAsync()
    {
        var stops = new Dictionary<ResourceProcess, Task>();
        await Task.WhenAll(Processes.Select(StopAfterDependents));

        Task StopAfterDependents(ResourceProcess process)
        {
            if (!stops.TryGetValue(process, out var stop))
            {
                var dependents = Processes.Where(p => p.Resource.WaitsFor.Contains(process.Resource)).Select(StopAfterDependents).ToList();
                stops[process] = stop = StopAfterAsync(process, dependents);
            }

            return stop;
        }
    }

    private Task StartInOrder(ResourceProcess process, CancellationToken cancellationToken)
    {
        if (!_starts.TryGetValue(process, out var start))
        {
            var dependencies = process.Resource.WaitsFor.Select(d => StartInOrder(this[d.Name], cancellationToken)).ToList();
            start = StartAfterAsync(process, dependencies, cancellationToken);
            _starts[process] = start;
        }

        return start;
    }

    private async Task StopAfterAsync(ResourceProcess process, List<Task> dependents)
    {
        await Task.WhenAll(dependents);
        await process.StopAsync(GracePeriod);
    }

    private async Task StartAfterAsync(ResourceProcess process, List<Task> dependencies, CancellationToken cancellationToken)
    {
        if (dependencies.Count > 0)
        {
            process.MarkWaiting();
            await Task.WhenAll(dependencies);
        }

        cancellationToken.ThrowIfCancellationRequested();
        await StartNowAsync(process, cancellationToken);
    }

    private async Task StartNowAsync(ResourceProcess process, CancellationToken cancellationToken)
    {
        // Evaluated now, not when the model was built: a reference reads the endpoint as it is at this start.
        await process.LaunchAsync(process.Resource.EnvironmentFor(ExecutionMode.Run));
        await WaitForReadyAsync(process, cancellationToken);
        process.MarkRunning();
    }

    private async Task WaitForReadyAsync(ResourceProcess process, CancellationToken cancellationToken)
    {
        if (process.Resource.HealthUrl is not { } health)
        {
            return;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_healthTimeout);
        string last = "no answer yet";
        while (true)
        {
            if (process.WhenExited.IsCompleted && process.State == ResourceState.Exited)
            {
                throw new ResourceFailedException(process, $"{process.Name} exited with code {process.ExitCode} before it was healthy");
            }

            try
            {
                using var response = await HealthProbe.GetAsync(health, deadline.Token);
                if (response.IsSuccessStatusCode && process.IsAlive)
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
                throw new ResourceFailedException(process,
                    $"{process.Name} did not answer {health} within {_healthTimeout.TotalMilliseconds:0} ms (last: {last})");
            }

            try
            {
                // Polling pace while the child starts; the loop checks again at once after it.
                await Task.WhenAny(process.WhenExited, Task.Delay(100, deadline.Token));
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
