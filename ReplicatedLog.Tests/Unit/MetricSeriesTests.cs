using ReplicatedLog.Dashboard.Telemetry;

namespace ReplicatedLog.Tests.Unit;

/// <summary>What the Metrics page draws of an instrument: a line per series, each with the values a reader expects.</summary>
public sealed class MetricSeriesTests
{
    private static readonly TelemetryResource Master = new("master", "master", []);
    private static readonly DateTimeOffset Start = DateTimeOffset.UnixEpoch;

    [Fact]
    public void TheInterleavedPointsOfTwoSecondariesAreTwoSeriesEachWithItsOwnValues()
    {
        var lag = Instrument("Gauge",
            Gauge(0, "secondary-1", 0), Gauge(0, "secondary-2", 5),
            Gauge(1, "secondary-1", 1), Gauge(1, "secondary-2", 7));

        var series = MetricSeries.Of(lag, maxPoints: 10);

        Assert.Equal(["secondary-1", "secondary-2"], series.Select(s => s.Attributes.Single().Value));
        Assert.Equal([0.0, 1.0], series[0].Points.Select(p => p.Value));
        Assert.Equal([5.0, 7.0], series[1].Points.Select(p => p.Value));
    }

    [Fact]
    public void ACumulativeHistogramDrawsTheMeanOfWhatWasRecordedSinceThePointBeforeAndNothingWhereNothingWas()
    {
        // Two appends of 10 ms, then one of 1000 ms, then none: counts 2, 3, 3 and sums 20, 1020, 1020 from the start.
        var duration = Instrument("Histogram", Histogram(0, 2, 20), Histogram(1, 3, 1020), Histogram(2, 3, 1020));

        var points = Assert.Single(MetricSeries.Of(duration, maxPoints: 10)).Points;

        Assert.Equal([10.0, 1000.0, null], points.Select(p => p.Value));
        Assert.Equal([2UL, 1UL, 0UL], points.Select(p => p.Count!.Value));
        Assert.Equal([2UL, 3UL, 3UL], points.Select(p => p.Total!.Value));
    }

    [Fact]
    public void ADeltaCounterDrawsItsRunningTotal()
    {
        var retries = Instrument("Counter", Delta(0, 2), Delta(1, 0), Delta(2, 3));

        var points = Assert.Single(MetricSeries.Of(retries, maxPoints: 10)).Points;

        Assert.Equal([2.0, 2.0, 5.0], points.Select(p => p.Value));
    }

    [Fact]
    public void EachSeriesKeepsItsOwnLastPoints()
    {
        var points = Enumerable.Range(0, 10).SelectMany(i => new[] { Gauge(i, "secondary-1", i), Gauge(i, "secondary-2", 100 + i) });

        var series = MetricSeries.Of(Instrument("Gauge", [.. points]), maxPoints: 3);

        Assert.Equal([7.0, 8.0, 9.0], series[0].Points.Select(p => p.Value));
        Assert.Equal([107.0, 108.0, 109.0], series[1].Points.Select(p => p.Value));
    }

    private static InstrumentView Instrument(string kind, params MetricPoint[] points) =>
        new(Master, "ReplicatedLog.Master", "replicatedlog.test", "", "", kind, points);

    private static MetricPoint Gauge(int second, string secondary, double value) =>
        new(Start.AddSeconds(second), [KeyValuePair.Create("secondary", secondary)], value);

    private static MetricPoint Histogram(int second, ulong count, double sum) =>
        new(Start.AddSeconds(second), [KeyValuePair.Create("w", "3")], sum / count, count, sum);

    private static MetricPoint Delta(int second, double value) => new(Start.AddSeconds(second), [], value, Delta: true);
}
