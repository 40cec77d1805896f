using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using ReplicatedLog.Master.Replication;
using ReplicatedLog.ServiceDefaults.Apis;
using ReplicatedLog.Core.Contracts;
using ReplicatedLog.ServiceDefaults.Security;

namespace ReplicatedLog.Master.Apis;

/// <summary>
/// <c>DELETE /admin/secondaries/{name}</c>: takes a secondary out of the cluster (an operator removing a dead one,
/// or a self-registered secondary leaving on a graceful stop). Guarded like every cluster route.
/// </summary>
public static partial class MembershipApi
{
    public static IEndpointRouteBuilder MapMembershipApi(this IEndpointRouteBuilder routes)
    {
        routes.MapDelete(ClusterRoutes.Mapped(ClusterRoutes.Secondaries) + "/{name}", Remove)
            .WithName("RemoveSecondary")
            .WithTags("Admin")
            .WithSummary("Takes a secondary out of the cluster: replication and heartbeats to it stop, and write concern and quorum count without it.")
            .WithDescription("?url= removes it only if it is still registered at that address. A secondary that registers itself (services__master__http__0) comes back when it registers again.")
            .RequireClusterToken()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return routes;
    }

    private static Results<Ok<RemoveSecondaryResponse>, ProblemHttpResult> Remove(
        string name, string? url, SecondaryRegistry registry, ILoggerFactory loggers)
    {
        Uri? address = null;
        if (url is not null && !Uri.TryCreate(url, UriKind.Absolute, out address))
        {
            return Problems.BadRequest($"'url' must be an absolute URL; got '{url}'.");
        }

        SecondaryPeer? removed;
        try
        {
            removed = registry.Remove(name, address);
        }
        catch (IOException ex)
        {
            // Kept while the file still names it: a restart would bring it back.
            return Problems.Unavailable($"The master cannot write its member file, so '{name}' stays in the cluster: {ex.Message}");
        }

        if (removed is null)
        {
            return TypedResults.Problem(
                $"No secondary named '{name}'{(address is null ? "" : $" at {address}")} is in the cluster; GET /health lists them.",
                statusCode: StatusCodes.Status404NotFound, title: "No such secondary");
        }

        LogRemoved(loggers.CreateLogger(typeof(MembershipApi)), removed.Name, removed.Client.Address, registry.Count);
        return TypedResults.Ok(new RemoveSecondaryResponse(removed.Name, removed.Client.Address.ToString(), registry.Count));
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Secondary {Secondary} at {Url} removed from the cluster; it has {Count} secondaries now")]
    private static partial void LogRemoved(ILogger logger, string secondary, Uri url, int count);
}
