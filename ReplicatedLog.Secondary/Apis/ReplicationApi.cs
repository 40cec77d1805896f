using Microsoft.AspNetCore.Http.HttpResults;
using ReplicatedLog.Secondary.Faults;
using ReplicatedLog.Secondary.Replication;
using ReplicatedLog.ServiceDefaults.Apis;
using ReplicatedLog.Core.Contracts;
using ReplicatedLog.Core.Log;
using ReplicatedLog.ServiceDefaults.Security;

namespace ReplicatedLog.Secondary.Apis;

/// <summary>
/// The routes only the master calls: <c>POST /replication/append</c>, the replication stream
/// (<c>GET /replication/stream</c>, a WebSocket) and <c>POST /replication/heartbeat</c>
/// (cluster token required when one is set; loopback callers only when none is).
/// </summary>
public static class ReplicationApi
{
    public static IEndpointRouteBuilder MapReplicationApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").RequireClusterToken().WithTags("Replication (master only)");
        group.MapPost(ClusterRoutes.Mapped(ClusterRoutes.Append), AppendAsync)
            .AddEndpointFilter(new FaultFilter(dropAndFailAfterApply: true))
            .WithSummary("Entries from the master, applied in index order; answers the highest applied index.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet(ClusterRoutes.Mapped(ClusterRoutes.Stream), ReplicationStream.AcceptAsync)
            .WithSummary("The replication stream: a WebSocket that carries the appends of POST /replication/append, one message each, and their answers in order.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapPost(ClusterRoutes.Mapped(ClusterRoutes.Heartbeat), Heartbeat)
            .AddEndpointFilter(new FaultFilter(dropAndFailAfterApply: false))
            .WithSummary("The master's heartbeat; answers what this secondary holds.");
        return routes;
    }

    private static async Task<Results<Ok<AppendEntriesResponse>, ProblemHttpResult>> AppendAsync(
        AppendEntriesRequest request, Replica replica, CancellationToken cancellationToken)
    {
        if (Malformed(request) is { } problem)
        {
            return Problems.BadRequest(problem);
        }

        var result = await replica.AppendAsync(request, cancellationToken);
        return result.Refusal is { } refusal ? Problems.Conflict(refusal) : TypedResults.Ok(result.Response!);
    }

    /// <summary>What is wrong with an append from the master, or null when nothing is (the stream and the route both ask).</summary>
    internal static string? Malformed(AppendEntriesRequest? request) =>
        request is null || string.IsNullOrWhiteSpace(request.LogId) || request.Entries is null || request.Entries.Any(e => e is null || e.Index < 1 || e.Message is null)
            ? "An append needs a 'logId' and 'entries' of {index >= 1, message}."
            : null;

    private static Ok<HeartbeatResponse> Heartbeat(HeartbeatRequest request, Replica replica) =>
        TypedResults.Ok(replica.Heartbeat(request));
}
