using System.Diagnostics;
using HdrHistogram;

namespace ReplicatedLog.Bench.Load;

/// <summary>
/// Latencies in microseconds, recorded from any number of clients at once into an HdrHistogram
/// <see cref="Recorder"/> (1 µs to 1 hour, 3 significant digits), and read once a second as the interval since the
/// last read, which <see cref="Total"/> accumulates.
/// </summary>
public sealed class LatencyRecorder
{
    public const long HighestMicroseconds = 3_600_000_000;

    private readonly Recorder _recorder = HistogramFactory.With64BitBucketSize()
        .WithValuesFrom(1).WithValuesUpTo(HighestMicroseconds).WithPrecisionOf(3)
        .WithThreadSafeWrites().WithThreadSafeReads().Create();

    private readonly Lock _lock = new();

    /// <summary>Everything read so far.</summary>
    public HistogramBase Total { get; } = NewHistogram();

    public static HistogramBase NewHistogram() => new LongHistogram(1, HighestMicroseconds, 3);

    /// <summary>Records the time from <paramref name="startTimestamp"/> (a <see cref="Stopwatch"/> timestamp) to now.</summary>
    public void RecordSince(long startTimestamp) =>
        Record(Math.Max(1, (Stopwatch.GetTimestamp() - startTimestamp) * 1_000_000 / Stopwatch.Frequency));

    public void Record(long microseconds) => _recorder.RecordValue(Math.Clamp(microseconds, 1, HighestMicroseconds));

    /// <summary>What was recorded since the last read, also added to <see cref="Total"/>.</summary>
    public HistogramBase ReadInterval()
    {
        lock (_lock)
        {
            var interval = _recorder.GetIntervalHistogram();
            Total.Add(interval);
            return interval;
        }
    }
}
