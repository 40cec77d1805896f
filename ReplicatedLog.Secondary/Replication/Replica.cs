using ReplicatedLog.Core.Contracts;
using ReplicatedLog.Core.Log;
using ReplicatedLog.Secondary.Registration;
using ReplicatedLog.Secondary.Storage;

namespace ReplicatedLog.Secondary.Replication;

/// <summary>How a batch from the master ended: applied (and durable), or refused: another log, or an older run of the master.</summary>
public sealed record ReplicaAppendResult(ApplyOutcome Outcome, AppendEntriesResponse? Response, string? Refusal);

/// <summary>
/// The secondary's side of replication: its log (with the hold-back buffer), what it last heard from the master,
/// the log id it refused, and the artificial delay. The HTTP handlers parse, call it and answer; fault injection
/// wraps those routes from outside and is unknown here.
/// </summary>
public sealed partial class Replica(
    ReplicaLog log,
    ReplicationDelay delay,
    MasterContact contact,
    TimeProvider time,
    ILogger<Replica> logger)
{
    public const string TelemetryName = "ReplicatedLog.Secondary";
    private static readonly System.Diagnostics.ActivitySource Source = new(TelemetryName);
    private string? _refusedLogId;

    public ReplicaLog Log => log;

    public ReplicationDelay Delay => delay;

    /// <summary>The last log id this secondary refused, while it goes on refusing it; null once it accepts one.</summary>
    public string? RefusedLogId => Volatile.Read(ref _refusedLogId);

    /// <summary>
    /// Applies a batch from the master after the artificial delay, and answers once what it applied is durable.
    /// Entries of another log than the one held are refused, and so is a batch of an older generation of the master
    /// than the newest followed (decided at apply time, after the delay): nothing of either is applied.
    /// </summary>
    public async Task<ReplicaAppendResult> AppendAsync(AppendEntriesRequest request, CancellationToken cancellationToken)
    {
        contact.Heard();
        if (delay.Current > TimeSpan.Zero)
        {
            // On the trace of the batch: this is where a slow secondary's time goes.
            using var sleeping = Source.StartActivity("artificial delay");
            sleeping?.SetTag("replicatedlog.delay_ms", delay.CurrentMs);
            await Task.Delay(delay.Current, time, cancellationToken).ConfigureAwait(false);
        }

        using var applying = Source.StartActivity("apply");
        applying?.SetTag("replicatedlog.entries", request.Entries.Count);
        var outcome = log.Apply(request);
        applying?.SetTag("replicatedlog.applied", outcome.AppliedIndex);
        if (outcome.LogIdMismatch)
        {
            Volatile.Write(ref _refusedLogId, request.LogId);
            LogRefused(logger, request.LogId, log.LogId);
            return new ReplicaAppendResult(outcome, null,
                $"This secondary holds entries of log {log.LogId}; it refuses entries of log {request.LogId}. Start it empty to join this log.");
        }

        if (outcome.Stale)
        {
            LogStale(logger, request.Generation, log.Generation);
            return new ReplicaAppendResult(outcome, null,
                $"This secondary follows generation {log.Generation} of log {log.LogId}; this request comes from generation {request.Generation}, an older run of the master. Nothing was applied.");
        }

        Volatile.Write(ref _refusedLogId, null);
        ReportFollowed(request.Generation, outcome.Dropped);
        if (outcome.Diverged)
        {
            LogDiverged(logger, request.Entries[0].Index - 1);
        }

        // Acknowledged only once it survives a crash (at once in memory).
        await log.WhenDurableAsync(outcome.AppliedIndex, cancellationToken).ConfigureAwait(false);
        if (outcome.Replaced > 0)
        {
            LogReplaced(logger, outcome.Replaced, outcome.AppliedIndex);
        }

        if (request.Entries.Count > 0)
        {
            // Information for a batch the master traced (it carries a traced append), Debug for the others, as the master's line.
            LogApplied(logger, applying is { Recorded: true } ? LogLevel.Information : LogLevel.Debug, request.Entries[0].Index, request.Entries[^1].Index, outcome.Applied, outcome.Duplicates,
                outcome.AppliedIndex, outcome.HeldBack);
        }

        return new ReplicaAppendResult(outcome,
            new AppendEntriesResponse(log.InstanceId, log.LogId, outcome.AppliedIndex, outcome.HeldBack), null);
    }

    /// <summary>The master's heartbeat: who this secondary is, what it holds, how slow it is, whether it refuses the master's log.</summary>
    public HeartbeatResponse Heartbeat(HeartbeatRequest request)
    {
        contact.Heard();
        var mismatch = !string.IsNullOrEmpty(request.LogId) && log.Conflicts(request.LogId);
        if (mismatch)
        {
            Volatile.Write(ref _refusedLogId, request.LogId);
        }
        else
        {
            ReportFollowed(request.Generation, log.Follow(request.LogId, request.Generation, request.Base));
        }

        var (durable, checksum) = log.DurableTip();
        return new HeartbeatResponse(log.InstanceId, log.LogId, durable, log.HeldBackCount, delay.CurrentMs, mismatch,
            LogChecksum.Format(checksum), log.Generation);
    }

    private void ReportFollowed(long generation, int dropped)
    {
        if (dropped > 0)
        {
            LogDropped(logger, dropped, generation, log.LastIndex);
        }
    }

    [LoggerMessage(Message = "Received {First}..{Last}: {Applied} applied, {Duplicates} duplicates ignored; applied up to {AppliedIndex}, {HeldBack} held back")]
    private static partial void LogApplied(ILogger logger, LogLevel level, long first, long last, int applied, int duplicates, long appliedIndex, int heldBack);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Replaced {Replaced} applied entries that were not the master's (held back from another sender, or from another generation); applied up to {AppliedIndex}")]
    private static partial void LogReplaced(ILogger logger, int replaced, long appliedIndex);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Dropped {Dropped} entries after {Base}, which generation {Generation} of the master does not hold (its previous run lost them before they were durable; none was acknowledged)")]
    private static partial void LogDropped(ILogger logger, int dropped, long generation, long @base);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Ignored a request from generation {Generation} of the master: this secondary follows generation {Followed} (a request of a master run that is gone)")]
    private static partial void LogStale(ILogger logger, long generation, long followed);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "This log does not match the master's up to {Index} (running checksum differs): applied nothing, answered 0 so that the master resends its log from the first entry")]
    private static partial void LogDiverged(ILogger logger, long index);

    [LoggerMessage(Level = LogLevel.Error, Message = "Refused entries of log {TheirLogId}: this secondary holds log {OurLogId}")]
    private static partial void LogRefused(ILogger logger, string theirLogId, string? ourLogId);
}
