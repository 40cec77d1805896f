using ReplicatedLog.Core.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using ReplicatedLog.ServiceDefaults.Apis;

namespace ReplicatedLog.Secondary.Apis;

/// <summary>The read routes, and a clear refusal of writes: a secondary takes entries only from the master.</summary>
public static class MessagesApi
{
    public static IEndpointRouteBuilder MapMessagesApi(this IEndpointRouteBuilder routes)
    {
        routes.MapLogReadApi();
        routes.MapPost(ClientRoutes.AppendPath, RefuseWrite)
            .WithName("AppendMessageRefused")
            .WithSummary("Always 405: append to the master.")
            .ProducesProblem(StatusCodes.Status405MethodNotAllowed);
        foreach (var path in ClientRoutes.CourseAppendPaths)
        {
            routes.MapPost(path, RefuseWrite).ExcludeFromDescription();
        }

        return routes;
    }

    private static ProblemHttpResult RefuseWrite(HttpContext http)
    {
        http.Response.Headers.Allow = "GET";
        return TypedResults.Problem(
            "A secondary is a read replica: it takes entries only from the master. POST /messages to the master.",
            statusCode: StatusCodes.Status405MethodNotAllowed, title: "Secondaries are read-only");
    }
}
