using ReplicatedLog.Dashboard.Telemetry;

namespace ReplicatedLog.Dashboard.Frontend;

/// <summary>
/// One trace as its page draws it: its spans, and the traces that link to it drawn on the same time axis, each as a
/// tree of its own. For an append, those are the batches that carried the entry to each secondary, so the page shows
/// the master's request, the wait for w and, under it, each secondary's delay and apply. A trace that links to
/// others (a batch) lists them: the appends it carried.
/// </summary>
public static class TraceDetail
{
    /// <summary>At most this many linked traces are drawn with a trace (an append has one batch per secondary, and one per resend).</summary>
    public const int MaxLinkedTracesDrawn = 20;

    private const string SecondaryAttribute = "replicatedlog.secondary";

    public static object Describe(TelemetryStore store, TraceView trace)
    {
        var linked = store.LinkedFrom(trace.TraceId);
        var drawn = linked.Take(MaxLinkedTracesDrawn).ToList();
        var all = drawn.Prepend(trace).ToList();
        var start = all.Min(t => t.Start);
        var end = all.Max(t => t.Start + t.Duration);
        return new
        {
            trace.TraceId,
            name = Name(trace),
            start,
            durationMs = (end - start).TotalMilliseconds,
            // What the page draws: this trace's spans and those of the linked traces drawn with it.
            spanCount = all.Sum(t => t.Spans.Count),
            services = all.SelectMany(t => t.Services).Distinct(),
            own = new { spanCount = trace.Spans.Count, durationMs = trace.Duration.TotalMilliseconds, trace.Services },
            spans = Spans(trace, start),
            linkedFrom = drawn.Select(t => new
            {
                t.TraceId,
                name = Name(t),
                secondary = t.Root.Attributes.FirstOrDefault(a => a.Key == SecondaryAttribute).Value,
                offsetMs = (t.Start - start).TotalMilliseconds,
                durationMs = t.Duration.TotalMilliseconds,
                spanCount = t.Spans.Count,
                t.Services,
                spans = Spans(t, start),
            }),
            linkedFromNotDrawn = linked.Count - drawn.Count,
            linksTo = trace.LinksTo.Select(id => store.Trace(id) is { } target
                ? new { traceId = id, name = (string?)Name(target), known = true }
                : new { traceId = id, name = (string?)null, known = false }),
        };
    }

    /// <summary>How a trace is named in lists: the service and name of its root span.</summary>
    public static string Name(TraceView trace) => $"{trace.Root.Resource.Name}: {trace.Root.Name}";

    private static IEnumerable<object> Spans(TraceView trace, DateTimeOffset axis) => trace.Spans.Select(s => new
    {
        service = s.Resource.Name, resource = s.Resource.Key, s.Scope, s.SpanId, s.ParentSpanId, s.Name, s.Kind, s.Status,
        s.StatusMessage, offsetMs = (s.Start - axis).TotalMilliseconds, durationMs = s.Duration.TotalMilliseconds,
        s.Attributes,
        events = s.Events.Select(e => new { e.Name, offsetMs = (e.Time - axis).TotalMilliseconds, e.Attributes }),
        links = s.Links.Count,
    });
}
