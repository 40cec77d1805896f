using System.Diagnostics;
using ReplicatedLog.AppHost.Hosting.Events;

namespace ReplicatedLog.AppHost.Hosting;

/// <summary>
/// One service of the topology: what to run, where it listens, what it is told (environment), which services it
/// references and waits for; and, once started, its child process, state and output.
/// </summary>
public sealed class ServiceResource
{
    public const string LifelineVariable = "REPLICATEDLOG_LIFELINE";
    private const int OutputLinesKept = 2_000;

    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);
    private readonly List<ServiceResource> _references = [];
    private readonly List<ServiceResource> _waitsFor = [];
    private readonly Queue<string> _output = new();
    private readonly Lock _gate = new();
    private Process? _process;
    private Task? _exited;
    private ResourceEnding? _requested;

    internal ServiceResource(string name, string project, int port)
    {
        Name = name;
        Project = project;
        Port = port;
        _environment["ASPNETCORE_URLS"] = Url.ToString().TrimEnd('/');
        _environment["OTEL_SERVICE_NAME"] = name;
        _environment[LifelineVariable] = "stdin";
    }

    /// <summary>A line the child wrote (standard output or error).</summary>
    public event Action<ServiceResource, string>? OutputWritten;

    /// <summary>The child exited without being asked to: its exit code.</summary>
    public event Action<ServiceResource, int>? ExitedUnexpectedly;

    public string Name { get; }

    public string Project { get; }

    public int Port { get; }

    public Uri Url => new($"http://localhost:{Port}/");

    public IReadOnlyDictionary<string, string> Environment => _environment;

    public IReadOnlyList<ServiceResource> References => _references;

    public IReadOnlyList<ServiceResource> WaitsFor => _waitsFor;

    public ResourceState State { get; private set; } = ResourceState.NotStarted;

    public int? ProcessId { get; private set; }

    public int? ExitCode { get; private set; }

    /// <summary>How the last run ended; null while it runs or before it first starts.</summary>
    public ResourceEnding? Ending { get; private set; }

    /// <summary>The last lines the child wrote.</summary>
    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_gate)
            {
                return [.. _output];
            }
        }
    }

    public ServiceResource WithEnvironment(string name, object value)
    {
        _environment[name] = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
        return this;
    }

    /// <summary>Gives this service the address of <paramref name="others"/> as Aspire does: <c>services__{name}__http__0</c>.</summary>
    public ServiceResource WithReference(params IEnumerable<ServiceResource> others)
    {
        foreach (var other in others)
        {
            _references.Add(other);
            _environment[$"services__{other.Name}__http__0"] = other.Url.ToString().TrimEnd('/');
        }

        return this;
    }

    /// <summary>This service starts only once <paramref name="others"/> answer <c>/health</c>.</summary>
    public ServiceResource WaitFor(params IEnumerable<ServiceResource> others)
    {
        _waitsFor.AddRange(others);
        return this;
    }

    internal void MarkWaiting() => State = ResourceState.Waiting;

    /// <summary>Starts the child from the service's build output (not waiting for it to be healthy).</summary>
    internal async Task LaunchAsync()
    {
        if (State is ResourceState.Starting or ResourceState.Running or ResourceState.Paused)
        {
            throw new InvalidOperationException($"{Name} is already {State}.");
        }

        var assembly = ServiceBinaries.AssemblyPath(Project);
        var native = Path.ChangeExtension(assembly, null);
        var (file, arguments) = File.Exists(native) ? (native, Array.Empty<string>()) : ("dotnet", [assembly]);
        var info = new ProcessStartInfo
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in _environment)
        {
            info.Environment[key] = value;
        }

        lock (_gate)
        {
            _requested = null;
            ExitCode = null;
            Ending = null;
            State = ResourceState.Starting;
        }

        var process = await ProcessLauncher.StartAsync(file, arguments, info);
        process.OutputDataReceived += (_, e) => Record(e.Data);
        process.ErrorDataReceived += (_, e) => Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        lock (_gate)
        {
            _process = process;
            ProcessId = process.Id;
            _exited = WatchExitAsync(process);
        }
    }

    internal void MarkRunning()
    {
        lock (_gate)
        {
            if (State == ResourceState.Starting)
            {
                State = ResourceState.Running;
            }
        }
    }

    /// <summary>SIGTERM, then SIGKILL if it has not exited within <paramref name="grace"/>.</summary>
    internal async Task StopAsync(TimeSpan grace)
    {
        var (process, exited) = BeginStop(ResourceEnding.Stopped);
        if (process is null || exited is null)
        {
            return;
        }

        Signals.Send(process.Id, Signals.SIGCONT); // a paused child cannot handle SIGTERM
        Signals.Send(process.Id, Signals.SIGTERM);
        if (await Task.WhenAny(exited, Task.Delay(grace)) != exited)
        {
            lock (_gate)
            {
                _requested = ResourceEnding.KilledAfterGracePeriod;
            }

            TryKill(process);
        }

        await exited;
    }

    /// <summary>SIGKILL: no chance to clean up, as when a machine dies.</summary>
    internal async Task KillAsync()
    {
        var (process, exited) = BeginStop(ResourceEnding.Killed);
        if (process is not null && exited is not null)
        {
            TryKill(process);
            await exited;
        }
    }

    internal void Pause() => SignalRunning(Signals.SIGSTOP, ResourceState.Paused);

    internal void Resume() => SignalRunning(Signals.SIGCONT, ResourceState.Running);

    /// <summary>Completes when the child exits (at once when it is not running).</summary>
    internal Task WhenExited
    {
        get
        {
            lock (_gate)
            {
                return _exited ?? Task.CompletedTask;
            }
        }
    }

    internal bool IsAlive
    {
        get
        {
            lock (_gate)
            {
                return _exited is { IsCompleted: false };
            }
        }
    }

    private void SignalRunning(int signal, ResourceState next)
    {
        lock (_gate)
        {
            if (_process is null || _exited is { IsCompleted: true })
            {
                throw new InvalidOperationException($"{Name} is not running.");
            }

            Signals.Send(_process.Id, signal);
            State = next;
        }
    }

    private (Process?, Task?) BeginStop(ResourceEnding ending)
    {
        lock (_gate)
        {
            if (_process is null || _exited is null || _exited.IsCompleted)
            {
                return (null, null);
            }

            _requested = ending;
            State = ResourceState.Stopping;
            return (_process, _exited);
        }
    }

    private static void TryKill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private async Task WatchExitAsync(Process process)
    {
        await process.WaitForExitAsync();
        ResourceEnding ending;
        lock (_gate)
        {
            ExitCode = process.ExitCode;
            State = ResourceState.Exited;
            Ending = ending = _requested ?? ResourceEnding.ExitedOnItsOwn;
            _process = null;
        }

        process.Dispose();
        if (ending == ResourceEnding.ExitedOnItsOwn)
        {
            ExitedUnexpectedly?.Invoke(this, ExitCode ?? -1);
        }
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.Enqueue(line);
            while (_output.Count > OutputLinesKept)
            {
                _output.Dequeue();
            }
        }

        OutputWritten?.Invoke(this, line);
    }
}
