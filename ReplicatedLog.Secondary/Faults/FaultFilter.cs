using ReplicatedLog.Core.Contracts;

namespace ReplicatedLog.Secondary.Faults;

/// <summary>
/// Injects faults around a replication route, from outside the replica: a pause holds the request unanswered, a
/// drop cuts the connection before anything is applied, an error after apply answers 500 although the entries were
/// applied (to prove that the master deduplicates). Does nothing unless fault injection is enabled.
/// </summary>
public sealed class FaultFilter(bool dropAndFailAfterApply) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var faults = http.RequestServices.GetRequiredService<FaultInjector>();
        await faults.WhenRunningAsync(http.RequestAborted);
        if (dropAndFailAfterApply && faults.ShouldDrop())
        {
            http.Abort();
            return TypedResults.Empty;
        }

        var result = await next(context);
        var answer = result is INestedHttpResult nested ? nested.Result : result;
        if (dropAndFailAfterApply && answer is IValueHttpResult { Value: AppendEntriesResponse applied } && faults.ShouldFailAfterApply(applied.AppliedIndex))
        {
            return TypedResults.Problem(FaultInjector.FailedAfterApply(applied.AppliedIndex),
                statusCode: StatusCodes.Status500InternalServerError, title: "Injected error after apply");
        }

        return result;
    }
}
