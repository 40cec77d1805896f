using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ReplicatedLog.ServiceDefaults.Health;

/// <summary>
/// Writes a health report as one flat JSON object: the overall <c>status</c>, a <c>description</c> from each
/// check, and every check's data as top-level fields (so <c>/health</c> on the master reads
/// <c>{"status":"Healthy","readOnly":false,"secondaries":[...]}</c>).
/// </summary>
public static class HealthResponseWriter
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var body = new Dictionary<string, object?>
        {
            ["status"] = report.Status.ToString(),
            ["description"] = string.Join("; ", report.Entries.Values
                .Select(e => e.Description).Where(d => !string.IsNullOrEmpty(d))),
        };
        foreach (var entry in report.Entries.Values)
        {
            foreach (var (key, value) in entry.Data)
            {
                body[key] = value;
            }
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, body, Json, context.RequestAborted);
    }
}
