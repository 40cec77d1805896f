namespace ReplicatedLog.Dashboard.Telemetry;

/// <summary>
/// The telemetry the dashboard shows, in memory and bounded per resource (<see cref="TelemetryLimits"/>): past a
/// bound the oldest goes first. Spans are also indexed by trace id, so a trace gathers the spans of every resource,
/// and by the traces they link to, so a trace finds the traces that link to it (an append, the batches that carried it).
/// Readers get copies; <see cref="WhenChangedAsync"/> wakes live views.
/// </summary>
public sealed class TelemetryStore(TelemetryLimits limits)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ResourceTelemetry> _resources = [];
    private readonly Dictionary<string, List<SpanView>> _traces = [];

    // Trace id -> the traces whose spans link to it, with how many of their spans do.
    private readonly Dictionary<string, Dictionary<string, int>> _linkedFrom = [];

    // The distinct traces one span links to, while it is counted (under the lock).
    private readonly HashSet<string> _linkTargets = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _version;

    public TelemetryLimits Limits => limits;

    /// <summary>Grows with every change; a live view remembers the one it drew.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>Completes when anything is added after <paramref name="version"/>.</summary>
    public Task WhenChangedAsync(long version, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _version > version ? Task.CompletedTask : _changed.Task.WaitAsync(cancellationToken);
        }
    }

    public IReadOnlyList<TelemetryResource> Resources
    {
        get
        {
            lock (_gate)
            {
                return [.. _resources.Values.Select(r => r.Resource).OrderBy(r => r.Name, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>Adds log records of one resource; returns how many were refused (too many resources).</summary>
    public int AddLogs(TelemetryResource resource, IReadOnlyList<LogRecordView> logs) => Change(resource, logs.Count, r =>
    {
        foreach (var log in logs)
        {
            Bounded(r.Logs, log, limits.MaxLogCount);
        }
    });

    public int AddSpans(TelemetryResource resource, IReadOnlyList<SpanView> spans) => Change(resource, spans.Count, r =>
    {
        foreach (var span in spans)
        {
            if (!_traces.TryGetValue(span.TraceId, out var trace))
            {
                _traces[span.TraceId] = trace = [];
            }

            trace.Add(span);
            CountLinks(span, +1);
            if (Bounded(r.Spans, span, limits.MaxSpanCount) is { } evicted && _traces.TryGetValue(evicted.TraceId, out var old))
            {
                old.Remove(evicted);
                CountLinks(evicted, -1);
                if (old.Count == 0)
                {
                    _traces.Remove(evicted.TraceId);
                }
            }
        }
    });

    /// <summary>Adds the points of one instrument of one resource.</summary>
    public int AddMetric(TelemetryResource resource, string meter, string name, string description, string unit, string kind, IReadOnlyList<MetricPoint> points) =>
        Change(resource, points.Count, r =>
        {
            var key = $"{meter}\n{name}";
            if (!r.Instruments.TryGetValue(key, out var instrument))
            {
                if (r.Instruments.Count >= limits.MaxInstrumentCount)
                {
                    // The instrument that changed least recently makes room.
                    r.Instruments.Remove(r.Instruments.MinBy(i => i.Value.Touched).Key);
                }

                r.Instruments[key] = instrument = new Instrument(meter, name);
            }

            (instrument.Description, instrument.Unit, instrument.Kind, instrument.Touched) = (description, unit, kind, _version);
            foreach (var point in points)
            {
                Bounded(instrument.Points, point, limits.MaxMetricPointCount);
            }
        });

    public IReadOnlyList<LogRecordView> Logs(string? resourceKey = null)
    {
        lock (_gate)
        {
            return [.. Of(resourceKey).SelectMany(r => r.Logs).OrderBy(l => l.Time)];
        }
    }

    public IReadOnlyList<SpanView> Spans(string? resourceKey = null)
    {
        lock (_gate)
        {
            return [.. Of(resourceKey).SelectMany(r => r.Spans).OrderBy(s => s.Start)];
        }
    }

    /// <summary>Every trace, newest first.</summary>
    public IReadOnlyList<TraceView> Traces()
    {
        lock (_gate)
        {
            return [.. _traces.Keys.Select(View).OrderByDescending(t => t.Start)];
        }
    }

    public TraceView? Trace(string traceId)
    {
        lock (_gate)
        {
            return _traces.ContainsKey(traceId) ? View(traceId) : null;
        }
    }

    /// <summary>The kept traces whose spans link to <paramref name="traceId"/>, in start order.</summary>
    public IReadOnlyList<TraceView> LinkedFrom(string traceId)
    {
        lock (_gate)
        {
            return [.. LinkedFromIds(traceId).Where(_traces.ContainsKey).Select(View).OrderBy(t => t.Start)];
        }
    }

    public IReadOnlyList<InstrumentView> Instruments(string? resourceKey = null)
    {
        lock (_gate)
        {
            return [.. Of(resourceKey).SelectMany(r => r.Instruments.Values.Select(i =>
                new InstrumentView(r.Resource, i.Meter, i.Name, i.Description, i.Unit, i.Kind, [.. i.Points])))
                .OrderBy(i => i.Resource.Name, StringComparer.Ordinal).ThenBy(i => i.Name, StringComparer.Ordinal)];
        }
    }

    private TraceView View(string traceId) =>
        new(traceId, [.. _traces[traceId].OrderBy(s => s.Start)]) { LinkedFrom = [.. LinkedFromIds(traceId)] };

    private IEnumerable<string> LinkedFromIds(string traceId) =>
        _linkedFrom.TryGetValue(traceId, out var from) ? from.Keys : [];

    /// <summary>Counts (or uncounts) the traces <paramref name="span"/> links to, other than its own.</summary>
    private void CountLinks(SpanView span, int change)
    {
        if (span.Links.Count == 0)
        {
            return; // most spans: nothing to index, and nothing to allocate for it
        }

        _linkTargets.Clear();
        foreach (var link in span.Links)
        {
            var target = link.TraceId;
            if (target == span.TraceId || !_linkTargets.Add(target))
            {
                continue;
            }

            if (!_linkedFrom.TryGetValue(target, out var from))
            {
                _linkedFrom[target] = from = [];
            }

            var count = from.GetValueOrDefault(span.TraceId) + change;
            if (count > 0)
            {
                from[span.TraceId] = count;
            }
            else
            {
                from.Remove(span.TraceId);
                if (from.Count == 0)
                {
                    _linkedFrom.Remove(target);
                }
            }
        }
    }

    private IEnumerable<ResourceTelemetry> Of(string? resourceKey) =>
        resourceKey is null ? _resources.Values : _resources.TryGetValue(resourceKey, out var one) ? [one] : [];

    /// <summary>Makes a change for one resource under the lock; returns how many items were refused.</summary>
    private int Change(TelemetryResource resource, int count, Action<ResourceTelemetry> change)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (!_resources.TryGetValue(resource.Key, out var telemetry))
            {
                if (_resources.Count >= limits.MaxResourceCount)
                {
                    return count;
                }

                _resources[resource.Key] = telemetry = new ResourceTelemetry(resource);
            }

            change(telemetry);
            Interlocked.Increment(ref _version);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
        return 0;
    }

    /// <summary>Adds <paramref name="item"/>, and drops (and returns) the oldest one past <paramref name="max"/>.</summary>
    private static T? Bounded<T>(Queue<T> queue, T item, int max) where T : class
    {
        queue.Enqueue(item);
        return queue.Count > max ? queue.Dequeue() : null;
    }

    private sealed class ResourceTelemetry(TelemetryResource resource)
    {
        public TelemetryResource Resource { get; } = resource;

        public Queue<LogRecordView> Logs { get; } = new();

        public Queue<SpanView> Spans { get; } = new();

        public Dictionary<string, Instrument> Instruments { get; } = [];
    }

    private sealed class Instrument(string meter, string name)
    {
        public string Meter { get; } = meter;

        public string Name { get; } = name;

        public string Description { get; set; } = "";

        public string Unit { get; set; } = "";

        public string Kind { get; set; } = "";

        public long Touched { get; set; }

        public Queue<MetricPoint> Points { get; } = new();
    }
}
