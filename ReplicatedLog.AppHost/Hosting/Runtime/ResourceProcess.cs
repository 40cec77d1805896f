using System.Diagnostics;
using ReplicatedLog.AppHost.Hosting.Events;
using ReplicatedLog.AppHost.Hosting.Model;

namespace ReplicatedLog.AppHost.Hosting.Runtime;

/// <summary>
/// The running side of one resource: its child process (started, signalled, watched until it exits), its state and
/// its last lines of output. Every change of state and every line is published on the <see cref="ResourceEvents"/>
/// stream, in the order it happened to this resource.
/// </summary>
public sealed class ResourceProcess
{
    /// <summary>Tells a child that its standard input is a pipe from the AppHost, which closes when the AppHost dies (ServiceDefaults' ParentLifelineService).</summary>
    public const string LifelineVariable = "REPLICATEDLOG_LIFELINE";

    private const int OutputLinesKept = 2_000;

    private readonly ResourceEvents _events;
    private readonly Queue<string> _output = new();
    private readonly Lock _lock = new();
    private ResourceSnapshot _snapshot;
    private Process? _process;
    private Task? _exited;
    private ResourceEnding? _requested;
    private int _launches;

    internal ResourceProcess(ServiceResource resource, ResourceEvents events)
    {
        Resource = resource;
        _events = events;
        _snapshot = new ResourceSnapshot(resource.Name, ResourceState.NotStarted);
        events.Publish(new ResourceStateChanged(_snapshot));
    }

    public ServiceResource Resource { get; }

    public string Name => Resource.Name;

    /// <summary>The URL of its <c>http</c> endpoint.</summary>
    public Uri Url => Resource.GetEndpoint().Url;

    public ResourceSnapshot Snapshot
    {
        get
        {
            lock (_lock)
            {
                return _snapshot;
            }
        }
    }

    public ResourceState State => Snapshot.State;

    public int? ProcessId => Snapshot.ProcessId;

    public int? ExitCode => Snapshot.ExitCode;

    /// <summary>How the last run ended; null while it runs or before it first starts.</summary>
    public ResourceEnding? Ending => Snapshot.Ending;

    /// <summary>The last lines the child wrote.</summary>
    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_lock)
            {
                return [.. _output];
            }
        }
    }

    /// <summary>Completes when the child exits (at once when it is not running).</summary>
    internal Task WhenExited
    {
        get
        {
            lock (_lock)
            {
                return _exited ?? Task.CompletedTask;
            }
        }
    }

    internal bool IsAlive
    {
        get
        {
            lock (_lock)
            {
                return _exited is { IsCompleted: false };
            }
        }
    }

    internal void MarkWaiting() => ChangeState(ResourceState.Waiting, ResourceState.NotStarted, ResourceState.Exited, ResourceState.FailedToStart);

    internal void MarkRunning() => ChangeState(ResourceState.Running, ResourceState.Starting);

    /// <summary>Starts the child with <paramref name="environment"/> (not waiting for it to be ready).</summary>
    internal async Task LaunchAsync(IReadOnlyDictionary<string, string> environment)
    {
        lock (_lock)
        {
            if (_snapshot.State is ResourceState.Starting or ResourceState.Running or ResourceState.Paused or ResourceState.Stopping)
            {
                throw new InvalidOperationException($"{Name} is already {_snapshot.State}.");
            }

            _requested = null;
            Publish(new ResourceSnapshot(Name, ResourceState.Starting, StartedAt: DateTimeOffset.UtcNow,
                Restarts: _launches++, Environment: environment));
        }

        Process process;
        try
        {
            var command = Resource.Command switch
            {
                ResourceCommand.Project project => ServiceBinaries.Executable(project.Name),
                ResourceCommand.Executable executable => executable,
                _ => throw new UnreachableException(),
            };
            process = await ProcessLauncher.StartAsync(command.FileName, command.Arguments, StartInfo(command.WorkingDirectory, environment));
        }
        catch
        {
            lock (_lock)
            {
                Publish(_snapshot with { State = ResourceState.FailedToStart });
            }

            throw;
        }

        process.OutputDataReceived += (_, e) => Record(e.Data);
        process.ErrorDataReceived += (_, e) => Record(e.Data);
        lock (_lock)
        {
            // The pid is published before the first line can be, and the exit only after the last (WaitForExitAsync
            // waits for both streams to end).
            _process = process;
            Publish(_snapshot with { ProcessId = process.Id });
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            _exited = WatchExitAsync(process);
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
            lock (_lock)
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

    private void SignalRunning(int signal, ResourceState next)
    {
        lock (_lock)
        {
            if (_process is null || _exited is { IsCompleted: true })
            {
                throw new InvalidOperationException($"{Name} is not running.");
            }

            Signals.Send(_process.Id, signal);
            Publish(_snapshot with { State = next });
        }
    }

    private (Process?, Task?) BeginStop(ResourceEnding ending)
    {
        lock (_lock)
        {
            if (_process is null || _exited is null || _exited.IsCompleted)
            {
                return (null, null);
            }

            _requested = ending;
            Publish(_snapshot with { State = ResourceState.Stopping });
            return (_process, _exited);
        }
    }

    private static ProcessStartInfo StartInfo(string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        info.Environment[LifelineVariable] = "stdin";
        return info;
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
        lock (_lock)
        {
            _process = null;
            Publish(_snapshot with
            {
                State = ResourceState.Exited, ExitCode = process.ExitCode, Ending = _requested ?? ResourceEnding.ExitedOnItsOwn,
            });
        }

        process.Dispose();
    }

    private void ChangeState(ResourceState next, params ResourceState[] from)
    {
        lock (_lock)
        {
            if (from.Contains(_snapshot.State))
            {
                Publish(_snapshot with { State = next });
            }
        }
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            _output.Enqueue(line);
            while (_output.Count > OutputLinesKept)
            {
                _output.Dequeue();
            }

            _events.Publish(new ResourceOutput(Name, line));
        }
    }

    /// <summary>Takes <paramref name="next"/> as the snapshot and publishes it, under the lock: this resource's events go out in the order its changes were made.</summary>
    private void Publish(ResourceSnapshot next)
    {
        _snapshot = next;
        _events.Publish(new ResourceStateChanged(next));
    }
}
