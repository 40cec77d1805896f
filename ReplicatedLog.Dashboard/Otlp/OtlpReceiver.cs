using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Collections;
using ReplicatedLog.Dashboard.Otlp.Proto.Collector.Logs;
using ReplicatedLog.Dashboard.Otlp.Proto.Collector.Metrics;
using ReplicatedLog.Dashboard.Otlp.Proto.Collector.Trace;
using ReplicatedLog.Dashboard.Otlp.Proto.Common;
using ReplicatedLog.Dashboard.Otlp.Proto.Logs;
using ReplicatedLog.Dashboard.Otlp.Proto.Metrics;
using ReplicatedLog.Dashboard.Otlp.Proto.Trace;
using ReplicatedLog.Dashboard.Telemetry;
using ProtoResource = ReplicatedLog.Dashboard.Otlp.Proto.Resource.Resource;

namespace ReplicatedLog.Dashboard.Otlp;

/// <summary>
/// Turns OTLP export requests (the same for HTTP and gRPC) into what the store keeps, within the attribute limits,
/// and answers with the partial success OTLP defines: how many items were refused, and why.
/// </summary>
public sealed partial class OtlpReceiver(TelemetryStore store)
{
    private readonly TelemetryLimits _limits = store.Limits;

    public ExportTraceServiceResponse Export(ExportTraceServiceRequest request)
    {
        var rejected = Receive(request.ResourceSpans, r => r.Resource, (resource, r) => store.AddSpans(resource,
            [.. r.ScopeSpans.SelectMany(scope => scope.Spans.Select(span => Span(resource, scope.Scope?.Name ?? "", span)))]));
        return new ExportTraceServiceResponse
        {
            PartialSuccess = rejected == 0 ? null : new ExportTracePartialSuccess { RejectedSpans = rejected, ErrorMessage = TooManyResources },
        };
    }

    public ExportLogsServiceResponse Export(ExportLogsServiceRequest request)
    {
        var rejected = Receive(request.ResourceLogs, r => r.Resource, (resource, r) => store.AddLogs(resource,
            [.. r.ScopeLogs.SelectMany(scope => scope.LogRecords.Select(record => Log(resource, scope.Scope?.Name ?? "", record)))]));
        return new ExportLogsServiceResponse
        {
            PartialSuccess = rejected == 0 ? null : new ExportLogsPartialSuccess { RejectedLogRecords = rejected, ErrorMessage = TooManyResources },
        };
    }

    public ExportMetricsServiceResponse Export(ExportMetricsServiceRequest request)
    {
        var rejected = Receive(request.ResourceMetrics, r => r.Resource, (resource, r) => r.ScopeMetrics
            .SelectMany(scope => scope.Metrics.Select(metric => (Meter: scope.Scope?.Name ?? "", Metric: metric)))
            .Sum(m =>
            {
                var (kind, points) = Points(m.Metric);
                return store.AddMetric(resource, m.Meter, m.Metric.Name, m.Metric.Description, m.Metric.Unit, kind, points);
            }));
        return new ExportMetricsServiceResponse
        {
            PartialSuccess = rejected == 0 ? null : new ExportMetricsPartialSuccess { RejectedDataPoints = rejected, ErrorMessage = TooManyResources },
        };
    }

    /// <summary>Adds what each resource sent; returns how many items the store refused.</summary>
    private int Receive<T>(IEnumerable<T> perResource, Func<T, ProtoResource?> resourceOf, Func<TelemetryResource, T, int> add) =>
        perResource.Sum(item => add(Resource(resourceOf(item)), item));

    private LogRecordView Log(TelemetryResource resource, string category, LogRecord record)
    {
        var attributes = Attributes(record.Attributes);
        return new LogRecordView(
            resource,
            Time(record.TimeUnixNano != 0 ? record.TimeUnixNano : record.ObservedTimeUnixNano),
            record.SeverityNumber,
            string.IsNullOrEmpty(record.SeverityText) ? LogSeverity.Name(record.SeverityNumber) : record.SeverityText,
            category,
            Shorten(Message(Text(record.Body), attributes)),
            attributes,
            Id(record.TraceId),
            Id(record.SpanId));
    }

    private string TooManyResources => $"the dashboard keeps telemetry of at most {_limits.MaxResourceCount} resources (Dashboard:TelemetryLimits:MaxResourceCount)";

    private SpanView Span(TelemetryResource resource, string scope, Span span) => new(
        resource,
        scope,
        Id(span.TraceId) ?? "",
        Id(span.SpanId) ?? "",
        Id(span.ParentSpanId),
        span.Name,
        span.Kind switch
        {
            Proto.Trace.Span.Types.SpanKind.Server => "Server",
            Proto.Trace.Span.Types.SpanKind.Client => "Client",
            Proto.Trace.Span.Types.SpanKind.Producer => "Producer",
            Proto.Trace.Span.Types.SpanKind.Consumer => "Consumer",
            _ => "Internal",
        },
        Time(span.StartTimeUnixNano),
        Time(span.EndTimeUnixNano),
        span.Status?.Code switch
        {
            Status.Types.StatusCode.Ok => "Ok",
            Status.Types.StatusCode.Error => "Error",
            _ => "Unset",
        },
        string.IsNullOrEmpty(span.Status?.Message) ? null : Shorten(span.Status.Message),
        Attributes(span.Attributes),
        [.. span.Events.Take(_limits.MaxAttributeCount).Select(e => new SpanEventView(Time(e.TimeUnixNano), e.Name, Attributes(e.Attributes)))],
        [.. span.Links.Take(_limits.MaxAttributeCount).Select(l => new SpanLinkView(Id(l.TraceId) ?? "", Id(l.SpanId) ?? "", Attributes(l.Attributes)))]);

    private (string Kind, IReadOnlyList<MetricPoint> Points) Points(Metric metric) => metric.DataCase switch
    {
        Metric.DataOneofCase.Gauge => ("Gauge", Numbers(metric.Gauge.DataPoints, delta: false)),
        Metric.DataOneofCase.Sum => (metric.Sum.IsMonotonic ? "Counter" : "UpDownCounter",
            Numbers(metric.Sum.DataPoints, metric.Sum.AggregationTemporality == DeltaTemporality)),
        Metric.DataOneofCase.Histogram => ("Histogram", [.. metric.Histogram.DataPoints.Select(p => new MetricPoint(
            Time(p.TimeUnixNano), Attributes(p.Attributes), p.Count == 0 ? null : p.Sum / p.Count, p.Count, p.HasSum ? p.Sum : null,
            [.. p.ExplicitBounds], [.. p.BucketCounts], metric.Histogram.AggregationTemporality == DeltaTemporality))]),
        _ => ("Unsupported", []),
    };

    /// <summary>OTLP's <c>AGGREGATION_TEMPORALITY_DELTA</c>: a point holds what was measured since the one before.</summary>
    private const int DeltaTemporality = 1;

    private List<MetricPoint> Numbers(RepeatedField<NumberDataPoint> points, bool delta) =>
        [.. points.Select(p => new MetricPoint(Time(p.TimeUnixNano), Attributes(p.Attributes),
            p.ValueCase == NumberDataPoint.ValueOneofCase.AsInt ? p.AsInt : p.AsDouble, Delta: delta))];

    private TelemetryResource Resource(ProtoResource? resource)
    {
        var attributes = Attributes(resource?.Attributes);
        string? Find(string key) => attributes.FirstOrDefault(a => a.Key == key).Value;
        var name = Find("service.name") ?? "unknown_service";
        return new TelemetryResource(name, Find("service.instance.id") ?? name, attributes);
    }

    private List<KeyValuePair<string, string>> Attributes(RepeatedField<KeyValue>? attributes) =>
        attributes is null ? [] : [.. attributes.Take(_limits.MaxAttributeCount).Select(a => KeyValuePair.Create(a.Key, Shorten(Text(a.Value))))];

    private string Shorten(string text) => text.Length <= _limits.MaxAttributeLength ? text : text[.._limits.MaxAttributeLength] + "…";

    /// <summary>
    /// The message of a log record whose body is its template (.NET's exporter sends <c>Replaced {Count} entries</c>
    /// unless told to format it): the placeholders filled from the record's attributes.
    /// </summary>
    private static string Message(string body, List<KeyValuePair<string, string>> attributes) =>
        !body.Contains('{', StringComparison.Ordinal)
            ? body
            : Placeholder().Replace(body, m => attributes.FirstOrDefault(a => a.Key == m.Groups[1].Value) is { Key: not null } found ? found.Value : m.Value);

    [System.Text.RegularExpressions.GeneratedRegex(@"\{([^{}:,]+)(?:[,:][^{}]*)?\}")]
    private static partial System.Text.RegularExpressions.Regex Placeholder();

    private static string Text(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.ArrayValue => "[" + string.Join(", ", value.ArrayValue.Values.Select(Text)) + "]",
        AnyValue.ValueOneofCase.KvlistValue => "{" + string.Join(", ", value.KvlistValue.Values.Select(kv => $"{kv.Key}: {Text(kv.Value)}")) + "}",
        AnyValue.ValueOneofCase.BytesValue => Convert.ToBase64String(value.BytesValue.Span),
        _ => "",
    };

    /// <summary>A trace or span id as lower-case hex (as W3C trace context writes it); none when empty or all zero.</summary>
    private static string? Id(ByteString id) => id.IsEmpty || id.Span.IndexOfAnyExcept((byte)0) < 0 ? null : Convert.ToHexStringLower(id.Span);

    private static DateTimeOffset Time(ulong unixNano) => DateTimeOffset.UnixEpoch.AddTicks((long)(unixNano / 100));
}
