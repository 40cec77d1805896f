using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using ReplicatedLog.Core.Contracts;
using ReplicatedLog.Core.Log;

namespace ReplicatedLog.ServiceDefaults.Apis;

/// <summary>
/// The read routes every node serves over what it holds: <c>GET /messages</c> (also <c>GET /</c>, where the course's
/// clients read) and <c>GET /log</c>.
/// </summary>
public static class LogReadApi
{
    public const int DefaultPageSize = 1000;
    public const int MaxPageSize = 10_000;

    public static IEndpointRouteBuilder MapLogReadApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/messages", GetMessages)
            .WithName("GetMessages")
            .WithSummary("All messages this node can read, in index order (also at GET /, as course clients read it).");
        routes.MapGet("/", GetMessages).ExcludeFromDescription();
        routes.MapGet("/log", GetLog)
            .WithName("GetLog")
            .WithSummary("A page of entries with their indexes: ?from=1&limit=1000.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return routes;
    }

    private static Ok<IReadOnlyList<string>> GetMessages(IReadableLog log) => TypedResults.Ok(log.Messages());

    private static Results<Ok<LogPage>, ProblemHttpResult> GetLog(IReadableLog log, string? from, string? limit)
    {
        if (!TryParse(from, 1, 1, long.MaxValue, out var start))
        {
            return Problems.BadRequest($"'from' must be a whole number of at least 1; got '{from}'.");
        }

        if (!TryParse(limit, DefaultPageSize, 1, MaxPageSize, out var count))
        {
            return Problems.BadRequest($"'limit' must be a whole number from 1 to {MaxPageSize}; got '{limit}'.");
        }

        return TypedResults.Ok(new LogPage(log.LogId, log.LastIndex, log.Read(start, (int)count)));
    }

    private static bool TryParse(string? text, long fallback, long min, long max, out long value)
    {
        if (string.IsNullOrEmpty(text))
        {
            value = fallback;
            return true;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value)
            && value >= min && value <= max;
    }
}
