using ReplicatedLog.Dashboard.Telemetry;

namespace ReplicatedLog.Dashboard.Frontend;

/// <summary>
/// The telemetry the pages show, as JSON: resources, structured logs (filtered by resource, level and text), traces
/// (a list, and one trace with the traces that link to it: <see cref="TraceDetail"/>), metrics; and a long poll that answers
/// when anything new arrived, which is how the pages update live.
/// </summary>
public static class TelemetryApi
{
    public static RouteGroupBuilder MapTelemetryApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/telemetry");
        api.MapGet("/resources", (TelemetryStore store) => store.Resources.Select(r => new { r.Key, r.Name, r.InstanceId, r.Attributes }));
        api.MapGet("/logs", (TelemetryStore store, string? resource, string? level, string? text, int? limit) =>
        {
            var minimum = LogSeverity.Minimum(level);
            return store.Logs(resource)
                .Where(l => l.SeverityNumber >= minimum)
                .Where(l => string.IsNullOrEmpty(text) || l.Message.Contains(text, StringComparison.OrdinalIgnoreCase)
                    || l.Category.Contains(text, StringComparison.OrdinalIgnoreCase))
                .TakeLast(Math.Clamp(limit ?? 500, 1, 5_000))
                .Reverse()
                .Select(l => new
                {
                    resource = l.Resource.Key, service = l.Resource.Name, l.Time, l.Severity, l.SeverityNumber, l.Category, l.Message,
                    l.Attributes, l.TraceId, l.SpanId,
                });
        });
        api.MapGet("/traces", (TelemetryStore store, string? resource, int? limit) => store.Traces()
            .Where(t => resource is null || t.Spans.Any(s => s.Resource.Key == resource))
            .Take(Math.Clamp(limit ?? 200, 1, 5_000))
            .Select(t => new
            {
                t.TraceId, name = TraceDetail.Name(t), t.Start, durationMs = t.Duration.TotalMilliseconds,
                spans = t.Spans.Count, t.Services, errors = t.Spans.Count(s => s.Status == "Error"),
                // The batches that carried an append: its page draws them with it.
                linkedFrom = t.LinkedFrom.Count, linksTo = t.LinksTo.Count,
            }));
        api.MapGet("/traces/{traceId}", (TelemetryStore store, string traceId) => store.Trace(traceId) is { } trace
            ? Results.Ok(TraceDetail.Describe(store, trace))
            : Results.Problem($"No trace {traceId} is kept (it may have been dropped: Dashboard:TelemetryLimits:MaxSpanCount).",
                statusCode: StatusCodes.Status404NotFound));
        api.MapGet("/metrics", (TelemetryStore store, string? resource) => store.Instruments(resource).Select(i => new
        {
            resource = i.Resource.Key, service = i.Resource.Name, i.Meter, i.Name, i.Description, i.Unit, i.Kind,
            // One series per set of attributes (per secondary, per w), each a line of its own.
            series = MetricSeries.Of(i, maxPoints: 120),
        }));
        api.MapGet("/changes", async (TelemetryStore store, long? since, CancellationToken cancellationToken) =>
        {
            // A long poll: answers at once when something is newer than `since`, else when it arrives (or after 25 s).
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(25));
            await store.WhenChangedAsync(since ?? -1, timeout.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return new { version = store.Version };
        });
        return api;
    }
}
