namespace ReplicatedLog.Dashboard.Telemetry;

/// <summary>
/// One series of an instrument: its points that share one set of attributes (one per secondary, one per w), oldest
/// first, each with the number a chart draws: a gauge's or an up-down counter's value, a counter's total, a
/// histogram's mean of what was recorded since the point before (none when nothing was).
/// </summary>
public sealed record MetricSeries(IReadOnlyList<KeyValuePair<string, string>> Attributes, IReadOnlyList<SeriesPoint> Points)
{
    /// <summary>The series of <paramref name="instrument"/> in the order of their attributes, each with its last <paramref name="maxPoints"/> points.</summary>
    public static IReadOnlyList<MetricSeries> Of(InstrumentView instrument, int maxPoints) =>
        [.. instrument.Points
            .GroupBy(p => Label(p.Attributes), StringComparer.Ordinal)
            .OrderBy(series => series.Key, StringComparer.Ordinal)
            .Select(series => new MetricSeries(series.First().Attributes, [.. Chart(instrument.Kind, series).TakeLast(maxPoints)]))];

    private static string Label(IReadOnlyList<KeyValuePair<string, string>> attributes) =>
        string.Join("\n", attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value}"));

    private static IEnumerable<SeriesPoint> Chart(string kind, IEnumerable<MetricPoint> points)
    {
        MetricPoint? before = null;
        double total = 0;
        ulong recorded = 0;
        foreach (var point in points)
        {
            if (kind == "Histogram")
            {
                var (count, sum) = Since(before, point);
                recorded = point.Delta ? recorded + count : point.Count ?? 0;
                yield return new SeriesPoint(point.Time, count == 0 ? null : sum / count, count, recorded);
            }
            else if (point.Delta)
            {
                total += point.Value ?? 0;
                yield return new SeriesPoint(point.Time, total);
            }
            else
            {
                yield return new SeriesPoint(point.Time, point.Value);
            }

            before = point;
        }
    }

    /// <summary>What a histogram recorded between <paramref name="before"/> and <paramref name="point"/>: a count and a sum.</summary>
    private static (ulong Count, double Sum) Since(MetricPoint? before, MetricPoint point)
    {
        var (count, sum) = (point.Count ?? 0, point.Sum ?? 0);
        // A cumulative count that went down started again (the service restarted): all of it is new.
        return point.Delta || before is not { Count: { } earlier } || earlier > count
            ? (count, sum)
            : (count - earlier, sum - (before.Sum ?? 0));
    }
}

/// <param name="Value">What the chart draws at <paramref name="Time"/>; null where a histogram recorded nothing.</param>
/// <param name="Count">A histogram's recordings since the point before.</param>
/// <param name="Total">A histogram's recordings in all.</param>
public sealed record SeriesPoint(DateTimeOffset Time, double? Value, ulong? Count = null, ulong? Total = null);
