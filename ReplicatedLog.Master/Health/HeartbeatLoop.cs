using Microsoft.Extensions.Logging;
using ReplicatedLog.Master.Replication;
using ReplicatedLog.Core.Contracts;
using ReplicatedLog.Core.Log;

namespace ReplicatedLog.Master.Health;

/// <summary>
/// Sends a heartbeat to one secondary every interval and feeds the answer (or its absence) to the peer's health.
/// An answer also tells the master what the secondary holds: one from a restarted secondary rewinds replication.
/// </summary>
public sealed partial class HeartbeatLoop(
    SecondaryPeer peer,
    MasterLog log,
    HealthOptions options,
    TimeProvider time,
    ILogger<HeartbeatLoop> logger)
{
    private readonly TaskCompletionSource _firstBeat = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the first heartbeat was answered or missed (each beat is bounded by the heartbeat timeout).</summary>
    public Task FirstBeat => _firstBeat.Task;

    public async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(options.Interval, time);
        try
        {
            await BeatOnceAsync(stopping).ConfigureAwait(false);
        }
        finally
        {
            _firstBeat.TrySetResult();
        }

        while (await WaitForTickAsync(timer, stopping).ConfigureAwait(false))
        {
            await BeatOnceAsync(stopping).ConfigureAwait(false);
        }
    }

    internal async Task BeatOnceAsync(CancellationToken stopping)
    {
        using var timeout = new CancellationTokenSource(options.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, timeout.Token);
        try
        {
            var response = await peer.Client
                .HeartbeatAsync(new HeartbeatRequest(log.LogId, log.LastIndex, log.Generation, log.Base), linked.Token)
                .ConfigureAwait(false);
            if (response.LogIdMismatch || response.Generation > log.Generation)
            {
                var reason = response.LogIdMismatch
                    ? $"it holds entries of another log ({response.LogId}); this log is {log.LogId}"
                    : $"it has followed generation {response.Generation} of this log, newer than this master's {log.Generation} (was this master's directory restored from an older copy?); it ignores this master's requests";
                if (peer.OnRefused(reason))
                {
                    LogRefusing(logger, peer.Name, reason);
                }
                else
                {
                    LogStillRefusing(logger, peer.Name, reason);
                }

                return;
            }

            var match = LogsMatch(response);
            var diverged = match == false && !peer.IsRepairing;
            if (peer.OnHeartbeatAnswered(response, time.GetUtcNow(), match))
            {
                LogRestartSeen(logger, peer.Name, response.AppliedIndex, match == true);
            }

            if (diverged)
            {
                LogDiverged(logger, peer.Name, response.AppliedIndex);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception ex) when (ex is SecondaryUnavailableException or OperationCanceledException)
        {
            var reason = ex is OperationCanceledException
                ? $"no answer within {options.Timeout.TotalMilliseconds:0} ms"
                : ex.Message;
            peer.OnHeartbeatMissed(reason);
            LogMissed(logger, peer.Name, peer.MissedHeartbeats, reason);
        }
        catch (Exception ex)
        {
            // Not a failing peer (that is a SecondaryUnavailableException) but a bug: count a miss, keep beating.
            peer.OnHeartbeatMissed($"heartbeat failed: {ex.Message}");
            LogFailed(logger, peer.Name, ex);
        }
    }

    /// <summary>
    /// Whether the secondary's log matches the master's up to what it holds, by the running checksum there; null when
    /// the secondary sends none. Holding an index the master does not have is a mismatch.
    /// </summary>
    private bool? LogsMatch(HeartbeatResponse response) => response.Checksum is not { } theirs ? null
        : log.ChecksumAt(response.AppliedIndex) is { } ours && LogChecksum.Format(ours) == theirs;

    private static async Task<bool> WaitForTickAsync(PeriodicTimer timer, CancellationToken stopping)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Heartbeat to {Secondary} failed unexpectedly; heartbeats go on")]
    private static partial void LogFailed(ILogger logger, string secondary, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Heartbeat to {Secondary} missed ({Misses} in a row): {Reason}")]
    private static partial void LogMissed(ILogger logger, string secondary, int misses, string reason);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "{Secondary} answers as a new instance holding up to {Applied} (matching this log: {Matches}): replication goes on from what it is known to hold")]
    private static partial void LogRestartSeen(ILogger logger, string secondary, long applied, bool matches);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "{Secondary}'s log does not match this one up to {Applied} (running checksum differs): replication resends from the first entry to repair it")]
    private static partial void LogDiverged(ILogger logger, string secondary, long applied);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Secondary} refuses this log: {Reason}; its acknowledgements do not count until it answers as a member of this log")]
    private static partial void LogRefusing(ILogger logger, string secondary, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Secondary} still refuses this log: {Reason}")]
    private static partial void LogStillRefusing(ILogger logger, string secondary, string reason);
}
