using Microsoft.AspNetCore.Http.HttpResults;
using ReplicatedLog.Secondary.Faults;
using ReplicatedLog.Secondary.Health;
using ReplicatedLog.Secondary.Registration;
using ReplicatedLog.Secondary.Storage;
using ReplicatedLog.ServiceDefaults.Apis;
using ReplicatedLog.Core.Contracts;
using ReplicatedLog.Core.Log;
using ReplicatedLog.ServiceDefaults.Security;

namespace ReplicatedLog.Secondary.Apis;

/// <summary>
/// The routes only the master calls: <c>POST /replication/append</c> and <c>POST /replication/heartbeat</c>
/// (cluster token required when one is set; loopback callers only when none is).
/// </summary>
public static partial class ReplicationApi
{
    public static IEndpointRouteBuilder MapReplicationApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").RequireClusterToken().WithTags("Replication (master only)");
        group.MapPost(ClusterRoutes.Mapped(ClusterRoutes.Append), AppendAsync)
            .WithSummary("Entries from the master, applied in index order; answers the highest applied index.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost(ClusterRoutes.Mapped(ClusterRoutes.Heartbeat), HeartbeatAsync)
            .WithSummary("The master's heartbeat; answers what this secondary holds.");
        return routes;
    }

    private static async Task<Results<Ok<AppendEntriesResponse>, ProblemHttpResult, EmptyHttpResult>> AppendAsync(
        AppendEntriesRequest request,
        ReplicaLog log,
        FaultInjector faults,
        TimeProvider time,
        HttpContext http,
        MasterContact contact,
        LogIdWatch watch,
        ILogger<ReplicaLog> logger)
    {
        if (string.IsNullOrWhiteSpace(request.LogId) || request.Entries is null || request.Entries.Any(e => e is null || e.Index < 1 || e.Message is null))
        {
            return Problems.BadRequest("An append needs a 'logId' and 'entries' of {index >= 1, message}.");
        }

        await faults.WhenRunningAsync(http.RequestAborted);
        contact.Heard();
        if (faults.ShouldDrop())
        {
            LogDropped(logger, request.Entries.Count);
            http.Abort();
            return TypedResults.Empty;
        }

        if (faults.Delay > TimeSpan.Zero)
        {
            await Task.Delay(faults.Delay, time, http.RequestAborted);
        }

        var outcome = log.Apply(request.LogId, request.Entries);
        if (outcome.LogIdMismatch)
        {
            watch.Refused(request.LogId);
            LogRefused(logger, request.LogId, log.LogId);
            return Problems.Conflict(
                $"This secondary holds entries of log {log.LogId}; it refuses entries of log {request.LogId}. Start it empty to join this log.");
        }

        watch.Accepted();
        // Acknowledged only once it survives a crash (at once in memory).
        await log.WhenDurableAsync(outcome.AppliedIndex, http.RequestAborted);
        if (outcome.Replaced > 0)
        {
            LogReplaced(logger, outcome.Replaced, outcome.AppliedIndex);
        }

        if (request.Entries.Count > 0)
        {
            LogApplied(logger, request.Entries[0].Index, request.Entries[^1].Index, outcome.Applied, outcome.Duplicates,
                outcome.AppliedIndex, outcome.HeldBack);
        }

        if (faults.ShouldFailAfterApply())
        {
            LogInjectedError(logger, outcome.AppliedIndex);
            return TypedResults.Problem($"Injected fault: the entries were applied (up to {outcome.AppliedIndex}), this answer is an error.",
                statusCode: StatusCodes.Status500InternalServerError, title: "Injected error after apply");
        }

        return TypedResults.Ok(new AppendEntriesResponse(log.InstanceId, log.LogId, outcome.AppliedIndex, outcome.HeldBack));
    }

    private static async Task<Ok<HeartbeatResponse>> HeartbeatAsync(
        HeartbeatRequest request, ReplicaLog log, FaultInjector faults, HttpContext http, MasterContact contact, LogIdWatch watch)
    {
        await faults.WhenRunningAsync(http.RequestAborted);
        contact.Heard();
        var mismatch = !string.IsNullOrEmpty(request.LogId) && log.Conflicts(request.LogId);
        if (mismatch)
        {
            watch.Refused(request.LogId);
        }

        return TypedResults.Ok(new HeartbeatResponse(log.InstanceId, log.LogId, log.LastIndex, log.HeldBackCount,
            (int)faults.Delay.TotalMilliseconds, mismatch));
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Received {First}..{Last}: {Applied} applied, {Duplicates} duplicates ignored; applied up to {AppliedIndex}, {HeldBack} held back")]
    private static partial void LogApplied(ILogger logger, long first, long last, int applied, int duplicates, long appliedIndex, int heldBack);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Replaced {Replaced} applied entries that were not the master's (held back from another sender); applied up to {AppliedIndex}")]
    private static partial void LogReplaced(ILogger logger, int replaced, long appliedIndex);

    [LoggerMessage(Level = LogLevel.Error, Message = "Refused entries of log {TheirLogId}: this secondary holds log {OurLogId}")]
    private static partial void LogRefused(ILogger logger, string theirLogId, string? ourLogId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Injected fault: dropped a request of {Count} entries before applying")]
    private static partial void LogDropped(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Injected fault: answering 500 after applying up to {AppliedIndex}")]
    private static partial void LogInjectedError(ILogger logger, long appliedIndex);
}
