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
            _loops.Add(Task.Run(() => replicate.RunAsync(_stopping)));
            _loops.Add(Task.Run(() => beat.RunAsync(_stopping)));
        }
    }
}
