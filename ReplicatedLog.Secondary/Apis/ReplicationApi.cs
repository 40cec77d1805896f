using Microsoft.AspNetCore.Http.HttpResults;
using ReplicatedLog.Secondary.Faults;
using ReplicatedLog.Secondary.Replication;
using ReplicatedLog.ServiceDefaults.Apis;
using ReplicatedLog.Core.Contracts;
using ReplicatedLog.Core.Log;
using ReplicatedLog.ServiceDefaults.Security;

namespace ReplicatedLog.Secondary.Apis;

/// <summary>
/// The routes only the master calls: <c>POST /replication/append</c> and <c>POST /replication/heartbeat</c>
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
        group.MapPost(ClusterRoutes.Mapped(ClusterRoutes.Heartbeat), Heartbeat)
            .AddEndpointFilter(new FaultFilter(dropAndFailAfterApply: false))
            .WithSummary("The master's heartbeat; answers what this secondary holds.");
        return routes;
    }

    private static async Task<Results<Ok<AppendEntriesResponse>, ProblemHttpResult>> AppendAsync(
        AppendEntriesRequest request, Replica replica, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.LogId) || request.Entries is null || request.Entries.Any(e => e is null || e.Index < 1 || e.Message is null))
        {
            return Problems.BadRequest("An append needs a 'logId' and 'entries' of {index >= 1, message}.");
        }

        var result = await replica.AppendAsync(request, cancellationToken);
        return result.Refusal is { } refusal ? Problems.Conflict(refusal) : TypedResults.Ok(result.Response!);
    }

    private static Ok<HeartbeatResponse> Heartbeat(HeartbeatRequest request, Replica replica) =>
        TypedResults.Ok(replica.Heartbeat(request));
}
