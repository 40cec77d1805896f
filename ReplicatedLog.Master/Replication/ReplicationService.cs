using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReplicatedLog.Master.Health;

namespace ReplicatedLog.Master.Replication;

/// <summary>
/// Runs, for every secondary (configured or registered later), its replication loop and its heartbeat loop, for
/// as long as the master runs.
/// </summary>
public sealed class ReplicationService(
    SecondaryRegistry registry,
    MasterLog log,
    IOptions<ReplicationOptions> replication,
    IOptions<HealthOptions> health,
    TimeProvider time,
    ILoggerFactory loggers) : BackgroundService
{
    private readonly List<Task> _loops = [];
    private readonly Lock _gate = new();
    private CancellationToken _stopping;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        lock (_gate)
        {
            _stopping = stoppingToken;
            registry.Added += Start;
            foreach (var peer in registry.Peers)
            {
                Start(peer);
            }
        }

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
            loggers.CreateLogger<ReplicationLoop>());
        var replicate = new ReplicationLoop(peer, log, pipeline, replication.Value, loggers.CreateLogger<ReplicationLoop>());
        var beat = new HeartbeatLoop(peer, log, health.Value, time, loggers.CreateLogger<HeartbeatLoop>());
        lock (_gate)
        {
            // A secondary removed from the cluster ends its loops; stopping the master ends all of them.
            var running = CancellationTokenSource.CreateLinkedTokenSource(_stopping, peer.Removed);
            var loops = new[] { Task.Run(() => replicate.RunAsync(running.Token)), Task.Run(() => beat.RunAsync(running.Token)) };
            _loops.AddRange(loops);
            _ = Task.WhenAll(loops).ContinueWith(_ => running.Dispose(), TaskScheduler.Default);
        }
    }
}
