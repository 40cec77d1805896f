namespace ReplicatedLog.Dashboard.Telemetry;

/// <summary>One instance of a service that sends telemetry: <c>service.name</c> and <c>service.instance.id</c>.</summary>
public sealed record TelemetryResource(string Name, string InstanceId, IReadOnlyList<KeyValuePair<string, string>> Attributes)
{
    /// <summary>How the pages name it: the service name, and the instance when a name has several.</summary>
    public string Key => $"{Name}/{InstanceId}";
}

public sealed record LogRecordView(
    TelemetryResource Resource,
    DateTimeOffset Time,
    int SeverityNumber,
    string Severity,
    string Category,
    string Message,
    IReadOnlyList<KeyValuePair<string, string>> Attributes,
    string? TraceId,
    string? SpanId);

public sealed record SpanEventView(DateTimeOffset Time, string Name, IReadOnlyList<KeyValuePair<string, string>> Attributes);

public sealed record SpanLinkView(string TraceId, string SpanId, IReadOnlyList<KeyValuePair<string, string>> Attributes);

public sealed record SpanView(
    TelemetryResource Resource,
    string Scope,
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    string Kind,
    DateTimeOffset Start,
    DateTimeOffset End,
    string Status,
    string? StatusMessage,
    IReadOnlyList<KeyValuePair<string, string>> Attributes,
    IReadOnlyList<SpanEventView> Events,
    IReadOnlyList<SpanLinkView> Links)
{
    public TimeSpan Duration => End - Start;
}

/// <summary>A trace: the spans of every resource that share one trace id, in start order.</summary>
public sealed record TraceView(string TraceId, IReadOnlyList<SpanView> Spans)
{
    /// <summary>The kept traces whose spans link to this one: for an append, the batches that carried it.</summary>
    public IReadOnlyList<string> LinkedFrom { get; init; } = [];

    /// <summary>The traces this one's spans link to (not itself): for a batch, the appends it carried.</summary>
    public IReadOnlyList<string> LinksTo => [.. Spans.SelectMany(s => s.Links).Select(l => l.TraceId).Where(t => t != TraceId).Distinct()];

    public DateTimeOffset Start => Spans.Min(s => s.Start);

    public TimeSpan Duration => Spans.Max(s => s.End) - Start;

    /// <summary>The span without a parent among these (the first one when a parent has not arrived).</summary>
    public SpanView Root => Spans.FirstOrDefault(s => s.ParentSpanId is null || Spans.All(p => p.SpanId != s.ParentSpanId)) ?? Spans[0];

    public IReadOnlyList<string> Services => [.. Spans.Select(s => s.Resource.Name).Distinct()];
}

/// <summary>
/// One data point: a number (gauge or sum), or a histogram's count, sum and buckets. A sum or a histogram counts from
/// the start (cumulative, what OpenTelemetry .NET sends by default) unless <paramref name="Delta"/>: then it holds
/// only what was measured since the point before.
/// </summary>
public sealed record MetricPoint(
    DateTimeOffset Time,
    IReadOnlyList<KeyValuePair<string, string>> Attributes,
    double? Value,
    ulong? Count = null,
    double? Sum = null,
    IReadOnlyList<double>? Bounds = null,
    IReadOnlyList<ulong>? BucketCounts = null,
    bool Delta = false);

/// <summary>An instrument of a resource and the points it sent, oldest first.</summary>
public sealed record InstrumentView(
    TelemetryResource Resource, string Meter, string Name, string Description, string Unit, string Kind, IReadOnlyList<MetricPoint> Points);
