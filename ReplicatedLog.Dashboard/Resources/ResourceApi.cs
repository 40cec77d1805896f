using System.Net.Http.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ReplicatedLog.Core.Contracts;
using ReplicatedLog.ServiceDefaults.Apis;

namespace ReplicatedLog.Dashboard.Resources;

/// <summary>
/// The resources as JSON for the pages: <c>GET /api/resources</c> (the watch's state and every resource),
/// <c>GET /api/resources/{name}/console?after=N</c> (the lines held, those numbered after N), and
/// <c>POST /api/resources/{name}/commands/{command}</c> (start, stop, restart, kill, pause, resume, forwarded to the
/// AppHost). An unknown resource is a 404, an unknown command a 400, no watch of the AppHost a 503; each a problem.
/// </summary>
public static partial class ResourceApi
{
    /// <summary>Maps the routes; returns their group, for whoever puts authorization on it.</summary>
    public static RouteGroupBuilder MapResourceApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/resources");
        group.MapGet("/", List);
        group.MapGet("/{name}/console", Console);
        group.MapPost("/{name}/commands/{command}", CommandAsync).DisableAntiforgery();
        return group;
    }

    private static Ok<ResourceList> List(ResourceCatalog catalog) => TypedResults.Ok(new ResourceList(catalog.Connection, catalog.Resources));

    private static Results<Ok<ResourceConsole>, ProblemHttpResult> Console(string name, ResourceCatalog catalog, long after = 0) =>
        catalog.Console(name, after) is { } lines
            ? TypedResults.Ok(new ResourceConsole(name, catalog.MaxConsoleLines, lines))
            : UnknownResource(name);

    private static async Task<Results<Ok<ResourceView>, ProblemHttpResult>> CommandAsync(
        string name, string command, ResourceCatalog catalog, ResourceServiceConnection connection, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        if (!ResourceServiceRoutes.Commands.Contains(command))
        {
            return Problems.BadRequest($"'{command}' is not a command; a resource takes {string.Join(", ", ResourceServiceRoutes.Commands)}.");
        }

        if (catalog.Connection.State != ResourceConnectionState.Connected)
        {
            return Problems.Unavailable($"This dashboard does not reach the AppHost ({catalog.Connection.State}{(catalog.Connection.Detail is { } why ? $": {why}" : "")}).");
        }

        if (catalog.Find(name) is not { } resource)
        {
            return UnknownResource(name);
        }

        var logger = loggers.CreateLogger(typeof(ResourceApi));
        try
        {
            using var answer = await connection.SendCommandAsync(resource.Name, command, cancellationToken);
            LogCommand(logger, command, resource.Name, (int)answer.StatusCode);
            if (answer.IsSuccessStatusCode && await answer.Content.ReadFromJsonAsync(ResourceServiceJsonContext.Default.ResourceView, cancellationToken) is { } after)
            {
                return TypedResults.Ok(after);
            }

            var problem = await answer.Content.ReadFromJsonAsync<ProblemDetails>(cancellationToken);
            return answer.StatusCode == System.Net.HttpStatusCode.Unauthorized
                ? TypedResults.Problem($"The AppHost refused this dashboard's key: {problem?.Detail}", statusCode: StatusCodes.Status502BadGateway, title: "Bad gateway")
                : TypedResults.Problem(problem?.Detail, statusCode: (int)answer.StatusCode, title: problem?.Title);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException
            && !cancellationToken.IsCancellationRequested)
        {
            LogCommandFailed(logger, command, resource.Name, ex.Message);
            return TypedResults.Problem($"The AppHost did not answer the {command} of {resource.Name}: {ex.Message}",
                statusCode: StatusCodes.Status502BadGateway, title: "Bad gateway");
        }
    }

    private static ProblemHttpResult UnknownResource(string name) =>
        TypedResults.Problem($"No resource is named '{name}'.", statusCode: StatusCodes.Status404NotFound, title: "Unknown resource");

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent {Command} to {Resource}: the AppHost answered {Status}")]
    private static partial void LogCommand(ILogger logger, string command, string resource, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sent {Command} to {Resource}: no answer ({Reason})")]
    private static partial void LogCommandFailed(ILogger logger, string command, string resource, string reason);
}
