using System.Collections.Concurrent;
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
    private readonly SharedStrings _strings = new(SharedStringCapacity);

    // Per resource key, the resource as last sent: a resource that sends the same attributes again is the same object.
    private readonly ConcurrentDictionary<string, TelemetryResource> _resources = new(StringComparer.Ordinal);

    /// <summary>How many distinct strings are shared (<see cref="SharedStrings"/>): keys, names, routes of a few dozen services.</summary>
    private const int SharedStringCapacity = 16_384;

    public ExportTraceServiceResponse Export(ExportTraceServiceRequest request)
    {
        var rejected = 0;
        foreach (var perResource in request.ResourceSpans)
        {
            var resource = Resource(perResource.Resource);
            // The spans of one export share trace ids (an append's spans, the appends a batch links to): one string each.
            var ids = new Dictionary<ByteString, string>();
            var spans = new List<SpanView>();
            foreach (var scope in perResource.ScopeSpans)
            {
                var scopeName = _strings.Get(scope.Scope?.Name ?? "");
                foreach (var span in scope.Spans)
                {
                    spans.Add(Span(resource, scopeName, span, ids));
                }
            }

            rejected += store.AddSpans(resource, spans);
        }

        return new ExportTraceServiceResponse
        {
            PartialSuccess = rejected == 0 ? null : new ExportTracePartialSuccess { RejectedSpans = rejected, ErrorMessage = TooManyResources },
        };
    }

    public ExportLogsServiceResponse Export(ExportLogsServiceRequest request)
    {
        var rejected = 0;
        foreach (var perResource in request.ResourceLogs)
        {
            var resource = Resource(perResource.Resource);
            var logs = new List<LogRecordView>();
            foreach (var scope in perResource.ScopeLogs)
            {
                var category = _strings.Get(scope.Scope?.Name ?? "");
                foreach (var record in scope.LogRecords)
                {
                    logs.Add(Log(resource, category, record));
                }
            }

            rejected += store.AddLogs(resource, logs);
        }

        return new ExportLogsServiceResponse
        {
            PartialSuccess = rejected == 0 ? null : new ExportLogsPartialSuccess { RejectedLogRecords = rejected, ErrorMessage = TooManyResources },
        };
    }

    public ExportMetricsServiceResponse Export(ExportMetricsServiceRequest request)
    {
        var rejected = 0;
        foreach (var perResource in request.ResourceMetrics)
        {
            var resource = Resource(perResource.Resource);
            foreach (var scope in perResource.ScopeMetrics)
            {
                var meter = _strings.Get(scope.Scope?.Name ?? "");
                foreach (var metric in scope.Metrics)
                {
                    var (kind, points) = Points(metric);
                    rejected += store.AddMetric(resource, meter, _strings.Get(metric.Name), _strings.Get(metric.Description), _strings.Get(metric.Unit), kind, points);
                }
            }
        }

        return new ExportMetricsServiceResponse
        {
            PartialSuccess = rejected == 0 ? null : new ExportMetricsPartialSuccess { RejectedDataPoints = rejected, ErrorMessage = TooManyResources },
        };
    }

    private LogRecordView Log(TelemetryResource resource, string category, LogRecord record)
    {
        var attributes = Attributes(record.Attributes);
        return new LogRecordView(
            resource,
            Time(record.TimeUnixNano != 0 ? record.TimeUnixNano : record.ObservedTimeUnixNano),
            record.SeverityNumber,
            string.IsNullOrEmpty(record.SeverityText) ? LogSeverity.Name(record.SeverityNumber) : _strings.Get(record.SeverityText),
            category,
            Shorten(Message(Text(record.Body), attributes)),
            attributes,
            Id(record.TraceId),
            Id(record.SpanId));
    }

    private string TooManyResources => $"the dashboard keeps telemetry of at most {_limits.MaxResourceCount} resources (Dashboard:TelemetryLimits:MaxResourceCount)";

    private SpanView Span(TelemetryResource resource, string scope, Span span, Dictionary<ByteString, string> ids) => new(
        resource,
        scope,
        TraceId(span.TraceId, ids) ?? "",
        Id(span.SpanId) ?? "",
        Id(span.ParentSpanId),
        _strings.Get(span.Name),
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
        Events(span.Events),
        Links(span.Links, ids));

    private SpanEventView[] Events(RepeatedField<Span.Types.Event> events)
    {
        if (events.Count == 0)
        {
            return [];
        }

        var views = new SpanEventView[Math.Min(events.Count, _limits.MaxAttributeCount)];
        for (var i = 0; i < views.Length; i++)
        {
            var e = events[i];
            views[i] = new SpanEventView(Time(e.TimeUnixNano), _strings.Get(e.Name), Attributes(e.Attributes));
        }

        return views;
    }

    private SpanLinkView[] Links(RepeatedField<Span.Types.Link> links, Dictionary<ByteString, string> ids)
    {
        if (links.Count == 0)
        {
            return [];
        }

        var views = new SpanLinkView[Math.Min(links.Count, _limits.MaxAttributeCount)];
        for (var i = 0; i < views.Length; i++)
        {
            var link = links[i];
            views[i] = new SpanLinkView(TraceId(link.TraceId, ids) ?? "", Id(link.SpanId) ?? "", Attributes(link.Attributes));
        }

        return views;
    }

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
        string? Find(string key) => Array.Find(attributes, a => a.Key == key).Value;
        var name = Find("service.name") ?? "unknown_service";
        var sent = new TelemetryResource(name, Find("service.instance.id") ?? name, attributes);
        return _resources.AddOrUpdate(sent.Key, sent, (_, known) => known.Attributes.SequenceEqual(attributes) ? known : sent);
    }

    private KeyValuePair<string, string>[] Attributes(RepeatedField<KeyValue>? attributes)
    {
        if (attributes is null || attributes.Count == 0)
        {
            return [];
        }

        var pairs = new KeyValuePair<string, string>[Math.Min(attributes.Count, _limits.MaxAttributeCount)];
        for (var i = 0; i < pairs.Length; i++)
        {
            var attribute = attributes[i];
            pairs[i] = KeyValuePair.Create(_strings.Get(attribute.Key), Value(attribute.Value));
        }

        return pairs;
    }

    /// <summary>An attribute's value as text: a short string or a small number shared (<see cref="SharedStrings"/>).</summary>
    private string Value(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => _strings.Get(Shorten(value.StringValue)),
        AnyValue.ValueOneofCase.IntValue => SharedStrings.Number(value.IntValue),
        _ => Shorten(Text(value)),
    };

    private string Shorten(string text) => text.Length <= _limits.MaxAttributeLength ? text : text[.._limits.MaxAttributeLength] + "…";

    /// <summary>
    /// The message of a log record whose body is its template (.NET's exporter sends <c>Replaced {Count} entries</c>
    /// unless told to format it): the placeholders filled from the record's attributes.
    /// </summary>
    private static string Message(string body, KeyValuePair<string, string>[] attributes) =>
        !body.Contains('{', StringComparison.Ordinal)
            ? body
            : Placeholder().Replace(body, m => Array.Find(attributes, a => a.Key == m.Groups[1].Value) is { Key: not null } found ? found.Value : m.Value);

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

    /// <summary>A trace id as <see cref="Id"/> does, one string per trace within one export.</summary>
    private static string? TraceId(ByteString id, Dictionary<ByteString, string> ids)
    {
        if (ids.TryGetValue(id, out var known))
        {
            return known;
        }

        var text = Id(id);
        if (text is not null)
        {
            ids[id] = text;
        }

        return text;
    }

    private static DateTimeOffset Time(ulong unixNano) => DateTimeOffset.UnixEpoch.AddTicks((long)(unixNano / 100));
}
