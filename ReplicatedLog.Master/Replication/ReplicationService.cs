using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReplicatedLog.Master.Health;
using ReplicatedLog.Core.Contracts;

namespace ReplicatedLog.Master.Replication;

/// <summary>
/// Runs, for every secondary (configured or registered later), its replication loop and its heartbeat loop, for
/// as long as the master runs. The master's start waits for the first heartbeat round (each beat is bounded by the
/// heartbeat timeout), so that a master whose secondaries are up is writable from its first request, and a script
/// that waits for <c>/health</c> and then appends is not refused. A master that started without a log first adopts
/// its secondaries' log (<see cref="LogAdoption"/>); the loops start once it has one.
/// </summary>
public sealed partial class ReplicationService(
    SecondaryRegistry registry,
    MasterLog log,
    LogAdoption adoption,
    IOptions<ReplicationOptions> replication,
    IOptions<HealthOptions> health,
    TimeProvider time,
    ILoggerFactory loggers,
    AppendTraces traces,
    MasterMetrics metrics) : BackgroundService
{
    private readonly List<Task> _loops = [];
    private readonly List<Task> _firstBeats = [];
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _logger = loggers.CreateLogger<ReplicationService>();
    private CancellationToken _stopping;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
        // Adoption that does not finish in its first round goes on while the master answers reads and /health.
        await Task.WhenAny(_started.Task, adoption.FirstRound.ContinueWith(_ => { }, TaskScheduler.Default))
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        if (adoption.IsPending)
        {
            LogAdopting(_logger, adoption.Detail);
            return;
        }

        await _started.Task.WaitAsync(cancellationToken).ConfigureAwait(false);

        Task[] beats;
        lock (_gate)
        {
            beats = [.. _firstBeats];
        }

        // Each beat ends within the heartbeat timeout; the margin only guards against a beat that never ends.
        await Task.WhenAll(beats).WaitAsync(health.Value.Timeout + TimeSpan.FromSeconds(1), time, cancellationToken)
            .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        LogFirstRound(_logger, registry.Peers.Count(p => p.Status == SecondaryStatus.Healthy), registry.Count);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await adoption.RunAsync(stoppingToken).ConfigureAwait(false);
        if (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        lock (_gate)
        {
            _stopping = stoppingToken;
            registry.Added += Start;
            foreach (var peer in registry.Peers)
            {
                Start(peer);
            }
        }

        _started.TrySetResult();

        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping: wait for the loops below.
        }

        registry.Added -= Start;
        Task[] loops;
        lock (_gate)
        {
            loops = [.. _loops];
        }

        await Task.WhenAll(loops).ConfigureAwait(false);
    }

    private void Start(SecondaryPeer peer)
    {
        var pipeline = ReplicationLoop.CreatePipeline(peer, replication.Value.Retry, health.Value.Interval, time,
            loggers.CreateLogger<ReplicationLoop>(), metrics);
        var replicate = new ReplicationLoop(peer, log, pipeline, replication.Value, loggers.CreateLogger<ReplicationLoop>(), traces, metrics);
        var beat = new HeartbeatLoop(peer, log, health.Value, time, loggers.CreateLogger<HeartbeatLoop>());
        lock (_gate)
        {
            // A secondary removed from the cluster ends its loops; stopping the master ends all of them.
            var running = CancellationTokenSource.CreateLinkedTokenSource(_stopping, peer.Removed);
            Task[] loops;
            // Called from a registration request too: without this, the loops would carry its Activity.Current (and
            // every span they ever make would join that request's trace) for as long as they run.
            using (ExecutionContext.SuppressFlow())
            {
                loops = [Task.Run(() => replicate.RunAsync(running.Token)), Task.Run(() => beat.RunAsync(running.Token))];
            }

            _loops.AddRange(loops);
            _firstBeats.Add(beat.FirstBeat);
            _ = Task.WhenAll(loops).ContinueWith(_ => running.Dispose(), TaskScheduler.Default);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Taking requests while the log is adopted: {Detail}")]
    private static partial void LogAdopting(ILogger logger, string detail);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "First heartbeat round: {Answered} of {Secondaries} secondaries answered; taking requests now")]
    private static partial void LogFirstRound(ILogger logger, int answered, int secondaries);
}
