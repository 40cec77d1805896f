using Microsoft.AspNetCore.Http.HttpResults;
using ReplicatedLog.Secondary.Faults;
using ReplicatedLog.Secondary.Replication;
using ReplicatedLog.Core.Contracts;
using ReplicatedLog.ServiceDefaults.Security;

namespace ReplicatedLog.Secondary.Apis;

/// <summary>
/// <c>GET</c>/<c>PUT /admin/delay</c>: the delay before applying, always. <c>GET</c>/<c>PUT /admin/faults</c>: the
/// injected faults, when fault injection is enabled (404 otherwise). Bodies are JSON whatever the content type.
/// </summary>
public static partial class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/admin").RequireClusterToken().WithTags("Admin");
        group.MapGet("/delay", (ReplicationDelay delay) => TypedResults.Ok(new DelaySettings(delay.CurrentMs)))
            .WithSummary("The delay before each batch from the master is applied and acknowledged (Replication:DelayMs).");
        group.MapPut("/delay", ChangeDelayAsync)
            .WithSummary("Changes the delay at run time; fault injection need not be on.")
            .WithDescription("Body: {\"delayMs\": 500}, from 0 to 3600000. Any content type is read as JSON.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/faults", GetFaults)
            .WithSummary("The current delay and faults. Needs Faults:Enabled=true.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/faults", ChangeFaultsAsync)
            .WithSummary("Changes the delay and faults; a field left out stays as it is. Needs Faults:Enabled=true.")
            .WithDescription("Body: {\"delayMs\": 500, \"errorAfterApplyRate\": 0.3, \"dropRate\": 0.2, \"paused\": false}. Any content type is read as JSON.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    private static async Task<Results<Ok<DelaySettings>, ProblemHttpResult>> ChangeDelayAsync(
        HttpRequest request, ReplicationDelay delay, ILogger<ReplicationDelay> logger, CancellationToken cancellationToken)
    {
        var (delayMs, problem) = await AdminRequestReader.ReadDelayAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        ChangeDelay(delay, delayMs!.Value, logger);
        return TypedResults.Ok(new DelaySettings(delay.CurrentMs));
    }

    private static Results<Ok<FaultSettings>, ProblemHttpResult> GetFaults(FaultInjector faults, ReplicationDelay delay) =>
        faults.Enabled ? TypedResults.Ok(faults.Current with { DelayMs = delay.CurrentMs }) : FaultInjectionOff();

    private static async Task<Results<Ok<FaultSettings>, ProblemHttpResult>> ChangeFaultsAsync(
        HttpRequest request, FaultInjector faults, ReplicationDelay delay, ILogger<ReplicationDelay> logger, CancellationToken cancellationToken)
    {
        if (!faults.Enabled)
        {
            return FaultInjectionOff();
        }

        var (settings, problem) = await AdminRequestReader.ReadFaultsAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (settings!.DelayMs is { } delayMs)
        {
            ChangeDelay(delay, delayMs, logger);
        }

        return TypedResults.Ok(faults.Change(settings) with { DelayMs = delay.CurrentMs });
    }

    private static void ChangeDelay(ReplicationDelay delay, int delayMs, ILogger logger)
    {
        delay.Change(delayMs);
        LogDelayChanged(logger, delayMs);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Delay before applying now {DelayMs} ms")]
    private static partial void LogDelayChanged(ILogger logger, int delayMs);

    /// <summary>
    /// 404, for GET and PUT alike: with fault injection off there are no faults to read or change here. (403 would
    /// read as "not allowed to you", which is what a protected-mode refusal says.)
    /// </summary>
    private static ProblemHttpResult FaultInjectionOff() => TypedResults.Problem(
        "Fault injection is off on this secondary: start it with Faults__Enabled=true (configuration Faults:Enabled) to use /admin/faults. " +
        "The delay alone is changed through PUT /admin/delay.",
        statusCode: StatusCodes.Status404NotFound, title: "Fault injection disabled");
}
