using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ReplicatedLog.AppHost.Hosting.Events;
using ReplicatedLog.AppHost.Hosting.Runtime;
using ReplicatedLog.Core.Contracts;

namespace ReplicatedLog.AppHost.Hosting.Dashboard;

/// <summary>The routes of <see cref="ResourceService"/>: the watch and the commands.</summary>
internal static class ResourceServiceApi
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    public static void MapResourceServiceApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/").AddEndpointFilter(async (context, next) =>
        {
            var service = context.HttpContext.RequestServices.GetRequiredService<ResourceService>();
            return service.ApiKey is null || Matches(context.HttpContext.Request.Headers[ResourceServiceRoutes.ApiKeyHeader], service.ApiKey)
                ? await next(context)
                : TypedResults.Problem($"Calls to the resource service need its API key in '{ResourceServiceRoutes.ApiKeyHeader}'.",
                    statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");
        });
        group.MapGet(ResourceServiceRoutes.Watch, WatchAsync);
        group.MapPost(ResourceServiceRoutes.CommandPattern, CommandAsync);
    }

    /// <summary>A snapshot of every resource, then each change and line of output as it happens, one JSON object a line.</summary>
    private static async Task WatchAsync(HttpContext http, ResourceService service, IHostApplicationLifetime lifetime)
    {
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        http.Response.ContentType = ResourceServiceRoutes.WatchContentType;
        using var subscription = service.Host.Events.Subscribe(replayOutput: true);
        await WriteAsync(http.Response, new ResourcesSnapshot(service.RunId, [.. subscription.Initial.Select(service.View)]), ending.Token);
        var initialLeft = subscription.Initial.Count; // the subscription's first events repeat the snapshot
        try
        {
            await foreach (var next in subscription.ReadAllAsync(ending.Token))
            {
                if (next is ResourceStateChanged && initialLeft > 0)
                {
                    initialLeft--;
                    continue;
                }

                ResourceServiceMessage? message = next switch
                {
                    ResourceStateChanged changed => new ResourceChanged(service.View(changed.Snapshot)),
                    ResourceOutput output => new ResourceLogLine(output.Resource, output.Number, output.Line),
                    OutputLinesDropped dropped => new ResourceLogLinesLost(dropped.Count),
                    _ => null,
                };
                if (message is not null)
                {
                    await WriteAsync(http.Response, message, ending.Token);
                }
            }
        }
        catch (OperationCanceledException) when (ending.IsCancellationRequested)
        {
            // The dashboard left, or the AppHost is stopping.
        }
        catch (SubscriberTooSlowException)
        {
            // The dashboard stopped reading: end the watch; its next one starts from a fresh snapshot.
        }
    }

    private static async Task<Results<Ok<ResourceView>, ProblemHttpResult>> CommandAsync(
        string name, string command, ResourceService service, CancellationToken cancellationToken)
    {
        if (!ResourceServiceRoutes.Commands.Contains(command))
        {
            return TypedResults.Problem($"'{command}' is not a command; a resource takes {string.Join(", ", ResourceServiceRoutes.Commands)}.",
                statusCode: StatusCodes.Status400BadRequest, title: "Unknown command");
        }

        var runner = service.Host.Runner;
        if (runner.Processes.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) is not { } process)
        {
            return TypedResults.Problem($"No resource is named '{name}'.", statusCode: StatusCodes.Status404NotFound, title: "Unknown resource");
        }

        if (!service.TakesCommands(process.Name))
        {
            return TypedResults.Problem($"{process.Name} takes no commands from here: stop the AppHost to stop it.",
                statusCode: StatusCodes.Status409Conflict, title: "Conflict");
        }

        try
        {
            await RunAsync(runner, process.Name, command, cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status409Conflict, title: "Conflict");
        }
        catch (Exception ex) when (ex is ResourceFailedException or FileNotFoundException)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status500InternalServerError, title: $"{process.Name} did not start");
        }

        return TypedResults.Ok(service.View(process.Snapshot));
    }

    private static Task RunAsync(ResourceRunner runner, string name, string command, CancellationToken cancellationToken)
    {
        switch (command)
        {
            case "start":
                return runner.StartAsync(name, cancellationToken);
            case "stop":
                return runner.StopAsync(name);
            case "restart":
                return runner.RestartAsync(name, cancellationToken);
            case "kill":
                return runner.KillAsync(name);
            case "pause":
                runner.Pause(name);
                return Task.CompletedTask;
            case "resume":
                runner.Resume(name);
                return Task.CompletedTask;
            default:
                throw new UnreachableException($"'{command}' is checked against the commands first.");
        }
    }

    private static async Task WriteAsync(HttpResponse response, ResourceServiceMessage message, CancellationToken cancellationToken)
    {
        await JsonSerializer.SerializeAsync(response.Body, message, ResourceServiceJsonContext.Default.ResourceServiceMessage, cancellationToken);
        await response.Body.WriteAsync(NewLine, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    private static bool Matches(string? presented, string key) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(key));
}
