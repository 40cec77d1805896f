using System.Globalization;
using ReplicatedLog.Bench.Options;

namespace ReplicatedLog.Bench.Reporting;

/// <summary>The human side of the output: what is about to run, and the result (what it appended to first), in the spirit of redis-benchmark.</summary>
public static class ReportText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>One line: the load, e.g. <c>64 clients, w=all, 128 B messages, no keys, closed loop, 10 s after a 2 s warm-up</c>.</summary>
    public static string Describe(BenchOptions options)
    {
        var wait = options.WaitTimeout is { } timeout ? $" (waiting at most {Seconds(timeout)} s)" : "";
        var mode = options.Rate is { } rate ? $"fixed rate {rate.ToString("N0", Invariant)}/s" : "closed loop";
        var length = options.Count is { } count ? $"{count.ToString("N0", Invariant)} appends" : $"{Seconds(options.EffectiveDuration!.Value)} s";
        var warmup = options.Warmup > TimeSpan.Zero ? $" after a {Seconds(options.Warmup)} s warm-up" : "";
        return $"{options.Clients} clients, w={options.W}{wait}, {options.Size} B messages, {(options.Keys ? "an idempotency key each" : "no keys")}, {mode}, {length}{warmup}";
    }

    public static void Write(TextWriter output, BenchReport report)
    {
        var l = report.LatencyMs;
        output.WriteLine();
        output.WriteLine($"  target      {report.System}, {report.Target}");
        output.WriteLine($"  appends     {N(report.Successes)} acknowledged, {N(report.Errors.Total)} failed, in {report.ElapsedSeconds.ToString("0.00", Invariant)} s");
        output.WriteLine($"  throughput  {N((long)Math.Round(report.ThroughputPerSecond))} appends/s");
        output.WriteLine($"  latency ms  p50 {F(l.P50)}  p90 {F(l.P90)}  p99 {F(l.P99)}  p99.9 {F(l.P999)}  max {F(l.Max)}  (mean {F(l.Mean)})");
    }

    /// <summary>The loud line of a run with failures, for standard error.</summary>
    public static string Failure(BenchReport report) =>
        $"FAILED: {N(report.Errors.Total)} of {N(report.Appends)} appends failed ({report.Errors.Describe()})" +
        (report.Errors.First is { } first ? $"; first: {first}" : "");

    private static string N(long value) => value.ToString("N0", Invariant);

    private static string F(double ms) => ms.ToString(ms < 10 ? "0.000" : "0.0", Invariant);

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.###", Invariant);
}
