using Microsoft.AspNetCore.Http.HttpResults;
using ReplicatedLog.Secondary.Faults;
using ReplicatedLog.ServiceDefaults.Apis;
using ReplicatedLog.ServiceDefaults.Contracts;
using ReplicatedLog.ServiceDefaults.Security;

namespace ReplicatedLog.Secondary.Apis;

/// <summary><c>GET</c> and <c>PUT /admin/faults</c>: the delay and injected faults, at run time (when enabled).</summary>
public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/admin").RequireClusterToken().WithTags("Admin");
        group.MapGet("/faults", (FaultInjector faults) => TypedResults.Ok(faults.Current))
            .WithSummary("The current delay and faults.");
        group.MapPut("/faults", Change)
            .WithSummary("Changes the delay and faults; a field left out stays as it is. Needs Faults:Enabled=true.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return routes;
    }

    private static Results<Ok<FaultSettings>, ProblemHttpResult> Change(FaultSettings settings, FaultInjector faults)
    {
        if (!faults.Enabled)
        {
            return TypedResults.Problem("Fault injection is off on this secondary: start it with Faults__Enabled=true.",
                statusCode: StatusCodes.Status403Forbidden, title: "Fault injection disabled");
        }

        if (settings.DelayMs is < 0 or > 3_600_000)
        {
            return Problems.BadRequest("'delayMs' must be from 0 to 3600000.");
        }

        if (settings.ErrorAfterApplyRate is < 0 or > 1 || settings.DropRate is < 0 or > 1)
        {
            return Problems.BadRequest("'errorAfterApplyRate' and 'dropRate' must be from 0 to 1.");
        }

        return TypedResults.Ok(faults.Change(settings));
    }
}
