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

/// <summary><c>POST /replication/register</c>: a secondary joins the running cluster (cluster token required when set).</summary>
public static partial class RegistrationApi
{
    public static IEndpointRouteBuilder MapRegistrationApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost(ClusterRoutes.Mapped(ClusterRoutes.Register), Register)
            .WithName("RegisterSecondary")
            .WithSummary("A secondary announces its name and address; the master starts replicating to it.")
            .RequireClusterToken()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return routes;
    }

    private static Results<Ok<RegisterSecondaryResponse>, ProblemHttpResult> Register(
        RegisterSecondaryRequest request, SecondaryRegistry registry, MasterLog log, ILoggerFactory loggers)
    {
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            return Problems.BadRequest("'name' is required.");
        }

        if (!Uri.TryCreate(request.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            return Problems.BadRequest($"'url' must be an absolute http(s) URL; got '{request.Url}'.");
        }

        SecondaryPeer peer;
        bool added;
        try
        {
            (peer, added) = registry.AddOrUpdate(request.Name.Trim(), url, registered: true);
        }
        catch (IOException ex)
        {
            // Not counted while it cannot be remembered: a restart would forget a member that w=all counted.
            LogNotSaved(loggers.CreateLogger(typeof(RegistrationApi)), request.Name, ex);
            return Problems.Unavailable($"The master cannot write its member file, so it does not take '{request.Name}' in: {ex.Message}");
        }

        LogRegistered(loggers.CreateLogger(typeof(RegistrationApi)), peer.Name, url, added, registry.Count);
        return TypedResults.Ok(new RegisterSecondaryResponse(peer.Name, url.ToString(), log.LogId, registry.Count));
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Secondary {Secondary} registered at {Url} (new: {Added}); the cluster has {Count} secondaries")]
    private static partial void LogRegistered(ILogger logger, string secondary, Uri url, bool added, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Secondary {Secondary} not taken in: the member file cannot be written")]
    private static partial void LogNotSaved(ILogger logger, string secondary, Exception exception);
}
