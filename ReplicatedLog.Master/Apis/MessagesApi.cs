using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using ReplicatedLog.Master.Health;
using ReplicatedLog.Master.Replication;
using ReplicatedLog.ServiceDefaults.Apis;
using ReplicatedLog.Core.Contracts;

namespace ReplicatedLog.Master.Apis;

/// <summary>The client's write route, <c>POST /messages</c>, next to the read routes every node has.</summary>
public static class MessagesApi
{
    public static IEndpointRouteBuilder MapMessagesApi(this IEndpointRouteBuilder routes)
    {
        routes.MapLogReadApi();
        routes.MapPost(ClientRoutes.AppendPath, AppendAsync)
            .WithName("AppendMessage")
            .WithSummary("Appends a message with write concern w; answers once w nodes (master included) hold it.")
            .WithDescription("Body: {\"message\": \"text\", \"w\": 2 | \"majority\" | \"all\", \"id\": \"optional idempotency key\", \"timeoutMs\": 5000}. " +
                "Any content type is read as JSON. 201: written. 200: a repeat of an idempotency key. 202: timeoutMs ran out first; the entry stays and keeps replicating. " +
                "For the course's clients: " + AppendFields.Describe() + " The same route also answers POST " +
                string.Join(" and POST ", ClientRoutes.CourseAppendPaths) + ". A field not named here is a 400.")
            // The body's shape, for the document only: Accepts() would also refuse bodies that curl -d sends untyped.
            .AddOpenApiOperationTransformer(async (operation, context, cancellationToken) => operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(AppendMessageRequest), null, cancellationToken) },
                },
            })
            .Produces<AppendMessageResponse>(StatusCodes.Status201Created)
            .Produces<AppendMessageResponse>(StatusCodes.Status200OK)
            .Produces<AppendMessageResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        foreach (var path in ClientRoutes.CourseAppendPaths)
        {
            routes.MapPost(path, AppendAsync).ExcludeFromDescription();
        }

        return routes;
    }

    /// <summary>201: written. 200: a repeat of an idempotency key. 202: timed out waiting, still replicating.</summary>
    private static async Task<IResult> AppendAsync(
        HttpContext http,
        Appender appender,
        IOptions<LogOptions> logOptions,
        IOptions<ReplicationOptions> replication,
        IOptions<HealthOptions> health)
    {
        var (request, problem) = await AppendRequestReader.ReadAsync(
            http.Request, logOptions.Value.MaxMessageBytes, replication.Value.DefaultConcern, http.RequestAborted);
        if (problem is not null)
        {
            return problem;
        }

        var result = await appender.AppendAsync(request!.Message, request.Concern, request.Id, request.Timeout, http.RequestAborted);
        var body = new AppendMessageResponse(result.Index, result.W, result.Acks, result.Duplicate, result.Status == AppendStatus.TimedOut);
        switch (result.Status)
        {
            case AppendStatus.ConcernTooHigh:
                return Problems.BadRequest(result.Reason!);
            case AppendStatus.ReadOnly:
                http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(health.Value.Interval.TotalSeconds)).ToString();
                return Problems.Unavailable(result.Reason!);
            case AppendStatus.TimedOut:
                return TypedResults.Accepted(EntryLocation(result.Index), body);
            default:
                return result.Duplicate ? TypedResults.Ok(body) : TypedResults.Created(EntryLocation(result.Index), body);
        }
    }

    private static string EntryLocation(long index) => $"/log?from={index}&limit=1";
}
