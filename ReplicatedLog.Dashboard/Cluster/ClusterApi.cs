using System.Diagnostics;
using System.Text.Json.Nodes;
using ReplicatedLog.ServiceDefaults.Apis;

namespace ReplicatedLog.Dashboard.Cluster;

/// <summary>
/// The Cluster page's API: <c>GET /api/cluster</c> (the master's view and every node's tail), <c>POST
/// /api/cluster/append</c> (an append through the master, answered with its trace id), <c>PUT
/// /api/cluster/secondaries/{name}/delay</c> and <c>/faults</c>. What the services answer, errors included, is
/// passed on with their status.
/// </summary>
public static class ClusterApi
{
    public const int Tail = 15;

    public static RouteGroupBuilder MapClusterApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/cluster");
        api.MapGet("", async (ClusterClient cluster, CancellationToken ct) =>
            await CallAsync(async () => Results.Ok(await cluster.SnapshotAsync(Tail, ct))));
        api.MapPost("/append", async (JsonObject body, ClusterClient cluster, CancellationToken ct) =>
        {
            var traceId = ActivityTraceId.CreateRandom().ToHexString();
            return await CallAsync(async () =>
            {
                var (status, answer) = await cluster.AppendAsync(body, traceId, ct);
                return Results.Json(new JsonObject { ["status"] = status, ["traceId"] = traceId, ["answer"] = answer?.DeepClone() });
            });
        });
        foreach (var setting in new[] { "delay", "faults" })
        {
            api.MapPut($"/secondaries/{{name}}/{setting}", async (string name, JsonObject body, ClusterClient cluster, CancellationToken ct) =>
                await CallAsync(async () =>
                {
                    var (status, answer) = await cluster.ChangeAsync(name, setting, body, ct);
                    return Results.Json(answer, statusCode: status);
                }));
        }

        return api;
    }

    private static async Task<IResult> CallAsync(Func<Task<IResult>> call)
    {
        try
        {
            return await call();
        }
        catch (ClusterUnknownException ex)
        {
            return Results.Problem(ex.Message, statusCode: StatusCodes.Status404NotFound);
        }
        catch (KeyNotFoundException ex)
        {
            return Results.Problem(ex.Message, statusCode: StatusCodes.Status404NotFound);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return Problems.Unavailable($"The cluster did not answer: {ex.Message}");
        }
    }
}
