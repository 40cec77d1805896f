using ReplicatedLog.Core.Contracts;

namespace ReplicatedLog.Secondary.Faults;

/// <summary>
/// Injects faults around a replication route, from outside the replica: a pause holds the request unanswered, a
/// drop cuts the connection before anything is applied, an error after apply answers 500 although the entries were
/// applied (to prove that the master deduplicates). Does nothing unless fault injection is enabled.
/// </summary>
public sealed partial class FaultFilter(bool dropAndFailAfterApply) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var faults = http.RequestServices.GetRequiredService<FaultInjector>();
        await faults.WhenRunningAsync(http.RequestAborted);
        if (dropAndFailAfterApply && faults.ShouldDrop())
        {
            LogDropped(Logger(http));
            http.Abort();
            return TypedResults.Empty;
        }

        var result = await next(context);
        var answer = result is INestedHttpResult nested ? nested.Result : result;
        if (dropAndFailAfterApply && answer is IValueHttpResult { Value: AppendEntriesResponse applied } && faults.ShouldFailAfterApply())
        {
            LogInjectedError(Logger(http), applied.AppliedIndex);
            return TypedResults.Problem($"Injected fault: the entries were applied (up to {applied.AppliedIndex}), this answer is an error.",
                statusCode: StatusCodes.Status500InternalServerError, title: "Injected error after apply");
        }

        return result;
    }

    private static ILogger Logger(HttpContext http) => http.RequestServices.GetRequiredService<ILogger<FaultFilter>>();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Injected fault: dropped a replication request before applying")]
    private static partial void LogDropped(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Injected fault: answering 500 after applying up to {AppliedIndex}")]
    private static partial void LogInjectedError(ILogger logger, long appliedIndex);
}
