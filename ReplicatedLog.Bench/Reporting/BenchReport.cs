using HdrHistogram;
using ReplicatedLog.Bench.Load;
using ReplicatedLog.Bench.Options;

namespace ReplicatedLog.Bench.Reporting;

/// <summary>
/// The result of a run, as the text report shows it and as <c>--json</c> writes it (camelCase; every field is
/// always there, <c>null</c> where it does not apply). Latencies are of acknowledged appends only, in milliseconds;
/// throughput counts acknowledged appends per second of the measured phase.
/// </summary>
public sealed record BenchReport(
    string System,
    string Target,
    ClusterInfo? Cluster,
    string Mode,
    int Clients,
    string W,
    int SizeBytes,
    bool Keys,
    int? Rate,
    double? WaitTimeoutSeconds,
    double WarmupSeconds,
    double? DurationSeconds,
    long? Count,
    double ElapsedSeconds,
    long Appends,
    long Successes,
    ErrorCounts Errors,
    double ThroughputPerSecond,
    LatencySummary LatencyMs,
    bool Ok)
{
    public const string ClosedLoop = "closed-loop";
    public const string FixedRate = "fixed-rate";

    public static BenchReport From(BenchOptions options, TargetInfo target, LoadResult result) => new(
        target.System,
        target.Url,
        target.Cluster,
        options.Rate is null ? ClosedLoop : FixedRate,
        options.Clients,
        options.W.Text,
        options.Size,
        options.Keys,
        options.Rate,
        options.WaitTimeout?.TotalSeconds,
        options.Warmup.TotalSeconds,
        options.EffectiveDuration?.TotalSeconds,
        options.Count,
        Math.Round(result.Elapsed.TotalSeconds, 3),
        result.Acknowledged + result.Errors.Total,
        result.Acknowledged,
        result.Errors,
        result.Elapsed > TimeSpan.Zero ? Math.Round(result.Acknowledged / result.Elapsed.TotalSeconds, 1) : 0,
        LatencySummary.Of(result.Latency),
        result.Errors.Total == 0);
}

/// <summary>What a run appended to: <c>ReplicatedLog</c> or <c>Redis</c>, its address (the master's <c>/messages</c>, or <c>redis://host:port</c>), and the cluster the benchmark started (null for one it found running).</summary>
public sealed record TargetInfo(string System, string Url, ClusterInfo? Cluster);

/// <summary>The cluster the benchmark started (<c>--start</c>): its secondaries (Redis: replicas), and whether it was durable.</summary>
public sealed record ClusterInfo(int Secondaries, bool Durable);

/// <summary>Percentiles, maximum and mean of a histogram of microseconds, in milliseconds (0 when it is empty).</summary>
public sealed record LatencySummary(double P50, double P90, double P99, double P999, double Max, double Mean)
{
    public static LatencySummary Of(HistogramBase microseconds)
    {
        if (microseconds.TotalCount == 0)
        {
            return new(0, 0, 0, 0, 0, 0);
        }

        return new(Ms(microseconds.GetValueAtPercentile(50)), Ms(microseconds.GetValueAtPercentile(90)),
            Ms(microseconds.GetValueAtPercentile(99)), Ms(microseconds.GetValueAtPercentile(99.9)),
            Ms(microseconds.GetMaxValue()), Math.Round(microseconds.GetMean() / 1000.0, 3));

        static double Ms(long us) => us / 1000.0;
    }
}
